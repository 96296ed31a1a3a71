// The bulk loader's FTS thread (SQLite): the search index thread's own code (lib/capture/write/search-indexer.ts,
// as lib/capture/write/search-index-worker.ts runs it in the server) indexing the rows the loader commits, on
// the second core while the loader's thread generates, projects and inserts the next batches. Told "finish", it
// catches up with everything committed and exits.
import { parentPort, workerData } from "node:worker_threads";
import { INDEX_MAX_ROWS, SearchIndexer } from "../../lib/capture/write/search-indexer";

const indexer = new SearchIndexer((workerData as { file: string }).file);
let finishing = false;
parentPort!.on("message", (msg: { finish?: boolean }) => {
  if (msg.finish) finishing = true;
});

function tick() {
  const n = indexer.step(INDEX_MAX_ROWS);
  if (n > 0) return setImmediate(tick);
  if (finishing) {
    indexer.close();
    parentPort!.postMessage({ done: true, indexed: indexer.indexed });
    return;
  }
  setTimeout(tick, 20);
}
tick();
