// The bulk loader's FTS thread (SQLite): the search index thread's own code (lib/capture/write/search-indexer.ts,
// as lib/capture/write/search-index-worker.ts runs it in the server) indexing the rows the loader commits, on
// the second core while the loader's thread generates, projects and inserts the next batches. Told "finish", it
// catches up with everything committed and exits.
import { parentPort, workerData } from "node:worker_threads";
import { SearchIndexer } from "../../lib/capture/write/search-indexer";

const indexer = new SearchIndexer((workerData as { file: string }).file);
// The load is re-run, never recovered (the server is stopped): no syncs, a bigger page cache, and batches of
// 20,000 rows rather than the server's 5,000 (each FTS5 transaction writes a segment and merges; fewer, bigger
// ones cost less). The range state is the indexer's own, as the server's thread would leave it.
indexer.db.exec("PRAGMA synchronous = OFF");
indexer.db.exec("PRAGMA cache_size = -131072");
const BATCH = 20_000;
let finishing = false;
parentPort!.on("message", (msg: { finish?: boolean }) => {
  if (msg.finish) finishing = true;
});

function tick() {
  const n = indexer.step(BATCH);
  if (n > 0) return setImmediate(tick);
  if (finishing) {
    indexer.close();
    parentPort!.postMessage({ done: true, indexed: indexer.indexed });
    return;
  }
  setTimeout(tick, 20);
}
tick();
