// The layering, checked over the real import graph (docs/architecture.md, "Where a change goes"):
// app → components → lib, with lib/body and lib/model pure enough for the browser, no cycle between
// lib/ folders, and every module that opens the database marked server-only so the browser bundle
// can never pull one in. A new import that breaks a rule fails here with the chain that breaks it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const SOURCE = /\.(ts|tsx|mjs)$/;
const SKIP = new Set(["node_modules", "generated", ".next"]);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(path.join(root, dir))) {
    if (SKIP.has(name)) continue;
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) walk(rel, out);
    else if (SOURCE.test(name)) out.push(rel);
  }
  return out;
}

interface Import {
  spec: string;
  /** Erased at compile time (`import type`, `export type … from`): no runtime edge. */
  typeOnly: boolean;
  /** Repository-relative file, or null for a package or node: built-in. */
  target: string | null;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function resolve(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.normalize(path.join(path.dirname(from), spec));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, `${base}/index.ts`]) {
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) return candidate;
  }
  return base;
}

const cache = new Map<string, Import[]>();
function importsOf(file: string): Import[] {
  let found = cache.get(file);
  if (!found) {
    const text = readFileSync(path.join(root, file), "utf8");
    found = [...text.matchAll(IMPORT)].map((m) => {
      const spec = (m[3] ?? m[4]) as string;
      return { spec, typeOnly: Boolean(m[2]), target: resolve(file, spec) };
    });
    cache.set(file, found);
  }
  return found;
}

const SERVER_ONLY_GUARD = /^import\s+["'](?:\.\.?\/)+(?:runtime\/)?server-only["'];?$|^import\s+["']@\/lib\/runtime\/server-only["'];?$/m;
const isServerOnly = (file: string) => SERVER_ONLY_GUARD.test(readFileSync(path.join(root, file), "utf8"));

/** The first runtime import chain from `start` to a file for which `bad` says why, or null. */
function chainTo(start: string, bad: (file: string, imp: Import) => string | null): string[] | null {
  const seen = new Set([start]);
  const queue: [string, string[]][] = [[start, [start]]];
  while (queue.length > 0) {
    const [file, chain] = queue.shift()!;
    for (const imp of importsOf(file)) {
      if (imp.typeOnly) continue;
      const why = bad(file, imp);
      if (why) return [...chain, `${imp.spec} (${why})`];
      if (imp.target && SOURCE.test(imp.target) && !seen.has(imp.target) && existsSync(path.join(root, imp.target))) {
        seen.add(imp.target);
        queue.push([imp.target, [...chain, imp.target]]);
      }
    }
  }
  return null;
}

const lib = walk("lib");
const components = walk("components");

/** Folder-level edges under lib/ (type imports included: a cycle of types is still a tangle). */
function libFolderCycles(files: readonly string[]): string[][] {
  const folder = (f: string) =>
    f
      .split("/")
      .slice(0, f.split("/").length > 2 ? 2 : 1)
      .join("/");
  const edges = new Map<string, Set<string>>();
  for (const f of files) {
    for (const imp of importsOf(f)) {
      if (!imp.target?.startsWith("lib/")) continue;
      const [a, b] = [folder(f), folder(imp.target)];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
  }
  // Tarjan's strongly connected components; any with more than one folder is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe("layering", () => {
  it("components never reach the database, Node built-ins or a server-only module", () => {
    const bad = (_from: string, imp: Import) => {
      if (imp.spec.startsWith("node:")) return "a Node built-in";
      if (imp.target?.startsWith("lib/db/")) return "the database";
      if (imp.target && existsSync(path.join(root, imp.target)) && SOURCE.test(imp.target) && isServerOnly(imp.target))
        return "server-only";
      return null;
    };
    const chains = components.map((f) => chainTo(f, bad)).filter((c) => c !== null);
    expect(chains.map((c) => c.join(" → "))).toEqual([]);
  });

  it("lib/body and lib/model import no node:* module (they run in the browser too)", () => {
    const pure = lib.filter((f) => f.startsWith("lib/body/") || f.startsWith("lib/model/"));
    expect(pure.length).toBeGreaterThan(10);
    const chains = pure
      .map((f) => chainTo(f, (_from, imp) => (imp.spec.startsWith("node:") ? "a Node built-in" : null)))
      .filter((c) => c !== null);
    expect(chains.map((c) => c.join(" → "))).toEqual([]);
  });

  it("lib/search/hql, doc.ts, build-doc.ts and projection-row.ts reach no node:* module, database or server-only module (the search bar runs them)", () => {
    const pure = lib.filter(
      (f) =>
        f.startsWith("lib/search/hql/") || ["lib/search/doc.ts", "lib/search/build-doc.ts", "lib/search/projection-row.ts"].includes(f),
    );
    expect(pure.length).toBeGreaterThan(8);
    const bad = (_from: string, imp: Import) => {
      if (imp.spec.startsWith("node:")) return "a Node built-in";
      if (imp.target?.startsWith("lib/db/")) return "the database";
      if (imp.target && existsSync(path.join(root, imp.target)) && SOURCE.test(imp.target) && isServerOnly(imp.target))
        return "server-only";
      return null;
    };
    const chains = pure.map((f) => chainTo(f, bad)).filter((c) => c !== null);
    expect(chains.map((c) => c.join(" → "))).toEqual([]);
  });

  it("lib/ imports nothing from components/ or app/", () => {
    const bad = lib.flatMap((f) =>
      importsOf(f)
        .filter((imp) => imp.target?.startsWith("components/") || imp.target?.startsWith("app/"))
        .map((imp) => `${f} → ${imp.spec}`),
    );
    expect(bad).toEqual([]);
  });

  it("no import cycle between lib/ folders", () => {
    expect(libFolderCycles(lib)).toEqual([]);
  });

  it("the cycle check sees a cycle (a self-test on a made-up pair of folders)", () => {
    cache.set("lib/x-test/a.ts", [{ spec: "../y-test/b", typeOnly: true, target: "lib/y-test/b.ts" }]);
    cache.set("lib/y-test/b.ts", [{ spec: "../x-test/a", typeOnly: false, target: "lib/x-test/a.ts" }]);
    expect(libFolderCycles([...lib, "lib/x-test/a.ts", "lib/y-test/b.ts"])).toEqual([["lib/x-test", "lib/y-test"]]);
  });

  it("every module that opens the database declares itself server-only", () => {
    const opensDb = lib.filter(
      (f) =>
        (f.startsWith("lib/db/") && f.endsWith(".ts")) || importsOf(f).some((imp) => !imp.typeOnly && imp.target === "lib/db/client.ts"),
    );
    expect(opensDb.length).toBeGreaterThan(10);
    expect(opensDb.filter((f) => !isServerOnly(f))).toEqual([]);
  });
});
