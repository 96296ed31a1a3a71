// `npm start` serves the production build, building what is missing first: the Next.js app (.next/,
// about a minute) and the compiled server (dist/, under a second; also rebuilt when a source file is
// newer than it, so a changed lib/ file is never served from an old dist/). The test runners call
// ensureServerBuild() once before starting servers (tests/helpers/build-setup.ts).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer } from "./build-server.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(file, newest);
    else if (/\.(ts|mjs)$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than server.ts or anything under lib/. */
export async function ensureServerBuild() {
  const stamp = path.join(root, "dist/BUILD_ID");
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const sources = Math.max(statSync(path.join(root, "server.ts")).mtimeMs, newestSource(path.join(root, "lib")));
  if (builtAt >= sources) return false;
  const ms = await buildServer();
  console.log(`hookscope: server compiled into dist/ in ${ms} ms`);
  return true;
}

export function ensureNextBuild() {
  if (existsSync(path.join(root, ".next/BUILD_ID"))) return false;
  console.log("hookscope: no production build yet; running `next build` (about a minute)…");
  execFileSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureNextBuild();
  await ensureServerBuild();
}
