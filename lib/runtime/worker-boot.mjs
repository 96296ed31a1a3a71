// Every worker thread starts here (lib/runtime/worker-files.ts names the entry): the door thread,
// the capture write worker, the WAL checkpoint thread, the redaction workers. With
// workerData.lowPriority the thread first takes the lowest scheduling priority (on Linux,
// setpriority(PRIO_PROCESS, 0) is per thread; "idle": SCHED_IDLE too), so that starting the worker and its work only take
// the cores the serving threads leave. From source (workerData.built false) the entry is TypeScript:
// worker threads do not inherit tsx's module hooks, so they are registered here first; the built
// server (dist/, where the build copies this file) loads compiled JavaScript and never loads tsx.
import { execFileSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import os from "node:os";
import { workerData } from "node:worker_threads";

if (workerData?.lowPriority && process.platform === "linux") {
  try {
    os.setPriority(19);
  } catch {
    // Not permitted: the worker's own deadline still bounds its work.
  }
  // lowPriority "idle" (background work that may wait: the search index and projection threads): nice 19
  // alone still let the search index thread take the most CPU of any thread at saturation (the door and
  // write threads sleep between messages, and it ran in every gap: 4.6 s of 8 s under wrk's 64
  // connections, docs/architecture.md "Search projection"). SCHED_IDLE runs it only on a core nothing
  // else wants; lowering one's own policy needs no privilege. Node has no call for it: util-linux's chrt,
  // on this thread's id (/proc/thread-self is /proc/<pid>/task/<tid>); without chrt, nice 19 stays.
  // Not for work someone waits on (the redaction workers answer requests within a deadline).
  if (workerData.lowPriority === "idle") {
    try {
      const tid = readlinkSync("/proc/thread-self").split("/").pop();
      execFileSync("chrt", ["--idle", "-p", "0", tid], { stdio: "ignore", timeout: 2000 });
    } catch {
      // No chrt, or refused: nice 19 it is.
    }
  }
}
if (typeof workerData?.entry !== "string") throw new Error("worker-boot.mjs: workerData.entry names the module to run");
if (!workerData.built) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(workerData.entry);
