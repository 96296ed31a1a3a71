// Run with tsx in a child process (DATA_DIR / DATABASE_URL of a test server): prints the search projection's
// backfill status as lib/search/projection-status.ts reports it, `{ pending, endpointPending, endpoint }` for the
// endpoint id in argv[2]. A child process, because lib/config reads the environment once per process.
import { projectionPending, searchBackfillStatus } from "@/lib/search/projection-status";

const endpointId = process.argv[2] ?? "";
const [all, endpoint, pending] = await Promise.all([
  searchBackfillStatus(),
  searchBackfillStatus(endpointId),
  projectionPending(endpointId),
]);
console.log(JSON.stringify({ pending: all.pending, endpoint: endpoint.pending, endpointPending: pending }));
process.exit(0);
