// Every worker thread starts here (lib/runtime/worker-files.ts names the entry): the door thread,
// the capture write worker, the WAL checkpoint thread, the redaction workers. With
// workerData.lowPriority the thread first takes the lowest scheduling priority (on Linux,
// setpriority(PRIO_PROCESS, 0) is per thread), so that starting the worker and its work only take
// the cores the serving threads leave. From source (workerData.built false) the entry is TypeScript:
// worker threads do not inherit tsx's module hooks, so they are registered here first; the built
// server (dist/, where the build copies this file) loads compiled JavaScript and never loads tsx.
import os from "node:os";
import { workerData } from "node:worker_threads";

if (workerData?.lowPriority && process.platform === "linux") {
  try {
    os.setPriority(19);
  } catch {
    // Not permitted: the worker's own deadline still bounds its work.
  }
}
if (typeof workerData?.entry !== "string") throw new Error("worker-boot.mjs: workerData.entry names the module to run");
if (!workerData.built) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(workerData.entry);
