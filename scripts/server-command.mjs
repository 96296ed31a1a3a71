// How the production server is started: `npm start` (package.json, which cannot import this) and
// everything that starts it the same way (tests/helpers/server.ts, the benchmarks) use these;
// tests/integration/footprint.test.ts checks package.json's start script says the same.
// - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates its own malloc arena (up to 8 per
//   core); with the door, write, checkpoint and libuv threads that held ~70 MB more idle.
// - --max-semi-space-size=2: the main thread's young generation (Next.js; captures run on the door
//   thread, whose own limit is set where it starts, lib/runtime/worker-files.ts).
// - MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ = 128 KB: glibc's defaults, but fixed. Left
//   dynamic, glibc raises both after the first large frees (start-up's module sources, JSON), and
//   then keeps up to 64 MB of freed memory at the top of its heap instead of returning it: fixed,
//   the idle server's glibc heap was 27 MB instead of 52 (docs/architecture.md, "Footprint").
export const SERVER_ENV = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072", MALLOC_TRIM_THRESHOLD_: "131072" };
export const SERVER_NODE_ARGS = ["--max-semi-space-size=2"];
export const SERVER_ENTRY = "dist/server.mjs";
