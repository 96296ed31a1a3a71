// Worker threads do not inherit tsx's module hooks; register them, then load the TypeScript worker
// named in workerData.entry (relative to this file): the door thread, the capture write worker, the
// WAL checkpoint thread.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
if (typeof workerData?.entry !== "string") throw new Error("worker-boot.mjs: workerData.entry names the TypeScript module to run");
await import(workerData.entry);
