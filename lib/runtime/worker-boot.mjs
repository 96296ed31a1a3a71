// Worker threads do not inherit tsx's module hooks; register them, then load the TypeScript worker
// named in workerData.entry (relative to this file): the door thread, the capture write worker, the
// WAL checkpoint thread, the redaction workers. With workerData.lowPriority the thread first takes
// the lowest scheduling priority (on Linux, setpriority(PRIO_PROCESS, 0) is per thread), so that
// starting tsx, compiling the worker and its work only take the cores the serving threads leave.
import os from "node:os";
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

if (workerData?.lowPriority && process.platform === "linux") {
  try {
    os.setPriority(19);
  } catch {
    // Not permitted: the worker's own deadline still bounds its work.
  }
}
register();
if (typeof workerData?.entry !== "string") throw new Error("worker-boot.mjs: workerData.entry names the TypeScript module to run");
await import(workerData.entry);
