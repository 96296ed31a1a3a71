// Where the server's code is, and how a worker thread is started from it. Two layouts:
// - built (`npm run build` → dist/, what `npm start` runs): every entry is one JavaScript file in
//   dist/ (server.mjs, door.mjs, write.mjs, checkpoint.mjs, redaction.mjs, search-index.mjs, search-project.mjs), compiled by esbuild
//   (scripts/build-server.mjs defines HOOKSCOPE_BUILD); no TypeScript loader at run time.
// - source (`npm run dev`, tests that start from source): the TypeScript files, loaded in each
//   thread through tsx's register() (worker-boot.mjs; worker threads do not inherit loader hooks).
// Every thread starts through worker-boot.mjs, which first lowers the thread's priority when asked.
// The Next.js bundle carries its own copy of this module, whose import.meta.url is neither layout:
// the server registers its answer first (runtime/shared.ts), and that copy reads it.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { shared } from "./shared";

declare const HOOKSCOPE_BUILD: boolean | undefined;

/** Each worker thread's source module, from the project root. */
export const WORKER_SOURCES = {
  door: "lib/door/door-thread.ts",
  write: "lib/search/write-worker-main.ts",
  checkpoint: "lib/capture/write/checkpoint-worker.ts",
  redaction: "lib/redaction/regex-worker.ts",
  "search-index": "lib/capture/write/search-index-worker.ts",
  "search-project": "lib/search/project-worker-main.ts",
} as const;
export type WorkerName = keyof typeof WORKER_SOURCES;

export interface CodeLayout {
  built: boolean;
  /** The project root (prisma/, .next/, package.json), a directory path. */
  root: string;
  /** Where the built files are (built), or the root (source): a file URL ending in "/". */
  code: string;
}

// Paths, not `new URL("…", import.meta.url)`: bundlers take that for an asset to copy.
const moduleUrl: string = import.meta.url;

function detect(): CodeLayout {
  if (typeof HOOKSCOPE_BUILD !== "undefined" && HOOKSCOPE_BUILD) {
    const dist = path.dirname(fileURLToPath(moduleUrl));
    return { built: true, root: path.dirname(dist), code: pathToFileURL(`${dist}${path.sep}`).href };
  }
  // From source this file is lib/runtime/worker-files.ts; in a bundle that is not ours (Next.js),
  // with nothing registered, the working directory is the root.
  const here = moduleUrl.startsWith("file:") ? fileURLToPath(moduleUrl) : "";
  const root = here.endsWith(path.join("lib", "runtime", "worker-files.ts")) ? path.resolve(path.dirname(here), "../..") : process.cwd();
  return { built: false, root, code: pathToFileURL(`${root}${path.sep}`).href };
}

/** This process's layout: the first module copy to ask decides it (server.ts asks at once). */
export function codeLayout(): CodeLayout {
  return shared("code-layout", detect);
}

/** The URL and workerData that start worker `name` (extra workerData merged in). */
export function workerStart(name: WorkerName, data: Record<string, unknown> = {}): { url: URL; workerData: Record<string, unknown> } {
  const layout = codeLayout();
  if (layout.built) {
    return {
      url: new URL("worker-boot.mjs", layout.code),
      workerData: { ...data, built: true, entry: new URL(`${name}.mjs`, layout.code).href },
    };
  }
  return {
    url: new URL("lib/runtime/worker-boot.mjs", layout.code),
    workerData: { ...data, built: false, entry: new URL(WORKER_SOURCES[name], layout.code).href },
  };
}

/**
 * Each thread's young generation (MB; V8's default grows to 48 with 16 MB semi-spaces, per thread).
 * The door and the write worker allocate per capture (a smaller one means more, shorter scavenges);
 * the checkpoint thread allocates next to nothing. Measured in docs/architecture.md ("Footprint").
 */
const YOUNG_GENERATION_MB: Record<WorkerName, number> = {
  door: 16,
  write: 16,
  checkpoint: 2,
  redaction: 8,
  "search-index": 8,
  "search-project": 8,
};

export function startWorker(name: WorkerName, data: Record<string, unknown> = {}, options: Omit<WorkerOptions, "workerData"> = {}): Worker {
  const { url, workerData } = workerStart(name, data);
  return new Worker(url, {
    ...options,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB[name], ...options.resourceLimits },
    workerData,
  });
}
