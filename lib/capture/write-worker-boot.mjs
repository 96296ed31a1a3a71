// Worker threads do not inherit tsx's module hooks; register them, then load the TypeScript worker
// named in workerData.entry (the capture write worker by default).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData?.entry ?? "./write-worker.ts");
