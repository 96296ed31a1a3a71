// Boots a redaction worker (regex-pool.ts): first the lowest scheduling priority for this thread
// (on Linux, setpriority(PRIO_PROCESS, 0) is per thread), so that starting tsx and compiling the
// worker, and then the regex work itself, only take the cores the serving threads leave; then tsx's
// hooks (worker threads do not inherit them), then the TypeScript worker.
import os from "node:os";
import { register } from "tsx/esm/api";

if (process.platform === "linux") {
  try {
    os.setPriority(19);
  } catch {
    // Not permitted: the pool's deadline still bounds the work.
  }
}
register();
await import("./regex-worker.ts");
