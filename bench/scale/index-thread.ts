// The bulk loader's FTS thread (SQLite): the search index thread's own code (lib/capture/write/search-indexer.ts,
// as lib/capture/write/search-index-worker.ts runs it in the server) indexing the rows the loader commits, on
// the second core while the loader's thread generates, projects and inserts the next batches. Told "finish", it
// catches up with everything committed and exits.
import { parentPort, workerData } from "node:worker_threads";
import { INDEX_MAX_ROWS, SearchIndexer } from "../../lib/capture/write/search-indexer";

const indexer = new SearchIndexer((workerData as { file: string }).file);
// The load is re-run, never recovered (the server is stopped): no syncs and a bigger page cache. Batches stay the
// server's (INDEX_MAX_ROWS): 20,000 or 100,000 rows per transaction measured no faster (the trigram tokenising,
// ~260 µs per row of this corpus, is the cost, not the transactions). The range state is the indexer's own.
indexer.db.exec("PRAGMA synchronous = OFF");
indexer.db.exec("PRAGMA cache_size = -131072");
const BATCH = INDEX_MAX_ROWS;
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
