// The capture write worker's entry (started by lib/door/door-thread.ts through worker-boot.mjs): the
// write worker with the search projection wired in. Its own file because lib/capture cannot import
// lib/search (lib/search → lib/signatures → lib/capture would be a cycle of folders).
import "../runtime/server-only";
import { startWriteWorker } from "../capture/write/write-worker";
import { searchProjector } from "./projection";

startWriteWorker(searchProjector);
