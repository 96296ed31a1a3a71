// security.md §2.1: every server-side request to a user-supplied URL goes through the one egress
// client (lib/replay/send.ts), which carries the SSRF guard. This scan fails when server code
// (lib/, app/, server.ts) makes outbound HTTP some other way. If a new outbound call is needed,
// route it through sendRequest; if it truly never takes a user's URL (say, an operator-configured
// OIDC issuer), add the file below with that reason.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

const ALLOWED: Record<string, string> = {
  "lib/replay/send.ts": "the egress client itself",
  "lib/door/next-proxy.ts": "connects only to the app's own private Unix socket, a path made at start, never a user's URL",
  "lib/export/copy-as.ts": "generates code snippets as text (the fetch() it writes runs on the user's machine); makes no request",
};
// May import node:http to listen (createServer); the other rules still apply to them.
const HTTP_SERVERS = new Set(["server.ts", "lib/door/door-thread.ts"]);
// Not server code: the relay CLI runs on the user's machine and talks to its own Hookscope.
const SKIP_DIRS = ["lib/relay", "lib/db/generated"];

const RULES: [RegExp, string][] = [
  [/\bfetch\s*\(/, "fetch()"],
  [/from\s+["'](?:node:)?https["']|require\(\s*["'](?:node:)?https["']\s*\)/, "node:https"],
  [/from\s+["']undici["']|require\(\s*["']undici["']\s*\)/, "undici"],
  [/\b(?:net|tls)\.(?:connect|createConnection)\s*\(/, "a raw socket connection"],
  [/\bhttps?\.(?:request|get)\s*\(/, "http.request/get"],
  [/new\s+WebSocket\s*\(/, "WebSocket"],
];
// node:http may be imported for types and these helpers only; request/get/Agent are egress.
const HTTP_IMPORT = /import\s+(?!type\b)([^;]*?)\s+from\s+["'](?:node:)?http["']/g;
const HTTP_HELPERS = new Set(["validateHeaderValue", "validateHeaderName", "STATUS_CODES", "METHODS", "type"]);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const rel = path.relative(root, full);
    if (name === "node_modules" || SKIP_DIRS.some((d) => rel === d || rel.startsWith(`${d}/`))) continue;
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(rel);
  }
  return out;
}

function violations(rel: string): string[] {
  const text = readFileSync(path.join(root, rel), "utf8");
  // Browser code (the dashboard's own replay-from-the-browser) is not server egress.
  if (/^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use client["']/.test(text)) return [];
  const found = RULES.filter(([re]) => re.test(text)).map(([, what]) => what);
  for (const m of HTTP_SERVERS.has(rel) ? [] : text.matchAll(HTTP_IMPORT)) {
    const spec = m[1] ?? "";
    const named = /^\{([^}]*)\}$/.exec(spec.trim());
    const names = named
      ? (named[1] ?? "")
          .split(",")
          .map((s) => s.trim().split(/\s+/)[0] ?? "")
          .filter(Boolean)
      : null;
    if (!names || names.some((n) => !HTTP_HELPERS.has(n))) found.push(`node:http import (${spec.trim()})`);
  }
  return found;
}

describe("only the egress client makes outbound requests", () => {
  it("server code has no other fetch, http(s).request, undici or raw socket", () => {
    const files = [...walk(path.join(root, "lib")), ...walk(path.join(root, "app")), "server.ts"];
    const bad = files.filter((f) => !(f in ALLOWED)).flatMap((f) => violations(f).map((v) => `${f}: ${v}`));
    expect(bad).toEqual([]);
  });

  it("the scan does catch each form", () => {
    const samples = [
      'await fetch("http://x")',
      'import https from "node:https";',
      'import { request } from "undici";',
      "net.connect(80, host)",
      "http.request(opts)",
      'import http from "node:http";',
      'import { request } from "http";',
      'import { Agent, validateHeaderValue } from "node:http";',
    ];
    for (const s of samples) {
      const hit =
        RULES.some(([re]) => re.test(s)) ||
        [...s.matchAll(HTTP_IMPORT)].some((m) => !/^\{\s*(validateHeaderValue|type \w+)\s*\}$/.test((m[1] ?? "").trim()));
      expect(hit, s).toBe(true);
    }
    expect([...'import type { IncomingMessage } from "node:http";'.matchAll(HTTP_IMPORT)]).toHaveLength(0);
  });
});
