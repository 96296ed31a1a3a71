// lib/signatures layout: one file per provider (providers/<id>.ts holds its spec, verifier and detection hints),
// registry.ts lists them, and no import cycle inside lib/signatures (type imports count too).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listProviders, PROVIDER_IDS } from "@/lib/signatures/registry";

const dir = path.resolve(import.meta.dirname, "../../lib/signatures");

function tsFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = path.join(d, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function cycles(): string[] {
  const graph = new Map<string, string[]>();
  for (const f of tsFiles(dir)) {
    const deps = [...readFileSync(f, "utf8").matchAll(/(?:import|export)[^"']*?from\s+["'](\.[^"']+)["']/g)]
      .map((m) => `${path.resolve(path.dirname(f), m[1]!)}.ts`)
      .filter((p) => p.startsWith(dir));
    graph.set(f, deps);
  }
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === "open") found.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(dir, x)).join(" -> "));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe("lib/signatures layout", () => {
  it("has no import cycle", () => {
    expect(tsFiles(dir).length).toBeGreaterThan(30);
    expect(cycles()).toEqual([]);
  });

  it("has one providers/<id>.ts per registered provider, and registers every provider file", () => {
    const files = readdirSync(path.join(dir, "providers")).map((n) => n.replace(/\.ts$/, ""));
    expect([...files].sort()).toEqual([...PROVIDER_IDS].sort());
  });

  it("gives every detection rule its own order, and every provider but generic HMAC a rule", () => {
    const orders = listProviders().flatMap((p) => p.detection.rules.map((r) => r.order));
    expect(new Set(orders).size).toBe(orders.length);
    for (const p of listProviders()) {
      if (p.id === "generic") expect(p.detection.rules).toEqual([]);
      else expect(p.detection.rules.length, p.id).toBeGreaterThan(0);
    }
  });
});
