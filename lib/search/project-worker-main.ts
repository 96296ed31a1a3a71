// The search projection thread's entry (started by the write worker through worker-boot.mjs, SQLite only):
// lib/capture/write/search-project-worker.ts with the projection function wired in (lib/capture cannot
// import lib/search).
import "../runtime/server-only";
import { startProjectWorker } from "../capture/write/search-project-worker";
import { searchProjector } from "./projection";

startProjectWorker(searchProjector);
