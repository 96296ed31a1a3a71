// Compiles the server (server.ts) and every worker thread's entry into dist/, one JavaScript file
// each, so that `npm start` runs plain `node dist/server.mjs`: no TypeScript loader and no esbuild
// service process at run time (issue 17: tsx and its five esbuild processes held ~120 MB of an idle
// server's 650 MB). Packages stay in node_modules (external); our own modules are bundled, which
// also saves each thread resolving and reading hundreds of files at start. The names must match
// lib/runtime/worker-files.ts (WORKER_SOURCES), which finds them beside server.mjs.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist");

export const ENTRIES = {
  server: "server.ts",
  door: "lib/door/door-thread.ts",
  write: "lib/search/write-worker-main.ts",
  checkpoint: "lib/capture/write/checkpoint-worker.ts",
  redaction: "lib/redaction/regex-worker.ts",
  "search-index": "lib/capture/write/search-index-worker.ts",
  "search-project": "lib/search/project-worker-main.ts",
};

export async function buildServer() {
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    define: { HOOKSCOPE_BUILD: "true" },
    // Stack traces name the bundle's lines; the map is there for a reader (node --enable-source-maps).
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
  });
  copyFileSync(path.join(root, "lib/runtime/worker-boot.mjs"), path.join(out, "worker-boot.mjs"));
  // Written last: scripts/ensure-build.mjs takes dist/ as complete only when this file is there.
  writeFileSync(path.join(out, "BUILD_ID"), `${new Date().toISOString()}\n`);
  return Math.round(performance.now() - started);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ms = await buildServer();
  console.log(`hookscope: server compiled into dist/ in ${ms} ms`);
}
