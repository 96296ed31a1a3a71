// Every worker thread the code starts is in the production build, and the build starts nothing else:
// a new worker added to lib/runtime/worker-files.ts but not to scripts/build-server.mjs (or started some
// other way) would load TypeScript at run time in the built server, or not start at all.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { ENTRIES } from "../../scripts/build-server.mjs";
import { WORKER_SOURCES, workerStart } from "@/lib/runtime/worker-files";

const root = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(path.join(root, dir))) {
    if (name === "generated") continue;
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) walk(rel, out);
    else if (/\.tsx?$/.test(name)) out.push(rel);
  }
  return out;
}

describe("worker threads and the build", () => {
  it("the build compiles exactly the server and every worker entry", () => {
    const { server, ...workers } = ENTRIES as Record<string, string>;
    expect(server).toBe("server.ts");
    expect(workers).toEqual(WORKER_SOURCES);
    for (const file of Object.values(ENTRIES as Record<string, string>)) expect(existsSync(path.join(root, file))).toBe(true);
  });

  it("no module starts a Worker except through worker-files.ts", () => {
    const offenders = [...walk("lib"), "server.ts"].filter(
      (f) => f !== path.join("lib", "runtime", "worker-files.ts") && /new Worker\(/.test(readFileSync(path.join(root, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("from source, a worker starts through worker-boot.mjs with its TypeScript entry", () => {
    const { url, workerData } = workerStart("write", { x: 1 });
    expect(url.pathname).toBe(path.join(root, "lib/runtime/worker-boot.mjs"));
    expect(workerData).toEqual({ x: 1, built: false, entry: `file://${path.join(root, WORKER_SOURCES.write)}` });
  });
});
