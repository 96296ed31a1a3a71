// Production runs compiled JavaScript (issue 17): the running server's process tree, as `npm start`
// and the test helper start it, holds node and nothing else: no tsx launcher, no esbuild service.
// Read from /proc (command lines, and the executables each process maps). The memory figures are
// the benchmark's (`npm run bench`, bench/footprint.ts), not asserted here.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandLine, processTree } from "../../bench/footprint";
import { root, SERVER_ENTRY, SERVER_ENV, SERVER_NODE_ARGS, startServer, type TestServer } from "../helpers/server";

const LOADER = /\btsx\b|esbuild/;

/** Each process of the tree: its command line and the files it has mapped that name tsx or esbuild. */
function loaderTraces(pid: number): string[] {
  const traces: string[] = [];
  for (const p of processTree(pid)) {
    const cmd = commandLine(p);
    if (LOADER.test(cmd)) traces.push(`${p}: ${cmd}`);
    let maps = "";
    try {
      maps = readFileSync(`/proc/${p}/maps`, "utf8");
    } catch {
      continue;
    }
    for (const line of maps.split("\n")) if (LOADER.test(line)) traces.push(`${p} maps ${line.trim().split(/\s+/).pop()}`);
  }
  return [...new Set(traces)];
}

describe("the running server is compiled JavaScript", () => {
  let server: TestServer | undefined;
  afterAll(async () => server?.stop());

  it("the test server's tree is one node process on dist/server.mjs, with no tsx or esbuild", async () => {
    server = await startServer();
    const tree = processTree(server.child.pid!);
    expect(tree).toEqual([server.child.pid]);
    expect(commandLine(server.child.pid!)).toMatch(/node .*dist\/server\.mjs$/);
    expect(readFileSync(`/proc/${server.child.pid}/environ`, "utf8").split("\0")).toContain("MALLOC_ARENA_MAX=2");
    expect(loaderTraces(server.child.pid!)).toEqual([]);
    // It serves (the threads it started are compiled too: a capture goes through the door and the write worker).
    const created = await fetch(`${server.url}/api/endpoints`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const { token } = (await created.json()) as { token: string };
    expect((await fetch(`${server.url}/in/${token}`, { method: "POST", body: "x" })).status).toBe(200);
    expect(loaderTraces(server.child.pid!)).toEqual([]);
  });

  it("the helper and the benchmarks start the server as `npm start` does", () => {
    const start = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
    const env = Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v}`);
    expect(start).toContain(`${env.join(" ")} exec node ${[...SERVER_NODE_ARGS, SERVER_ENTRY].join(" ")}`);
  });

  it("`npm start`'s tree holds no tsx or esbuild process", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookscope-npm-start-"));
    const child = spawn("npm", ["start", "--silent"], {
      cwd: root,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const logs: string[] = [];
      const serverPid = await new Promise<number>((resolve, reject) => {
        let buf = "";
        const timer = setTimeout(() => reject(new Error(`npm start did not listen:\n${logs.join("")}`)), 60_000);
        child.stdout!.on("data", (d: Buffer) => {
          logs.push(d.toString());
          buf += d.toString();
          const m = /"pid":(\d+)[^\n]*hookscope listening/.exec(buf);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.stderr!.on("data", (d: Buffer) => logs.push(d.toString()));
        child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${logs.join("")}`)));
      });
      const tree = processTree(child.pid!);
      expect(tree).toContain(serverPid);
      expect(commandLine(serverPid)).toMatch(/node .*dist\/server\.mjs$/);
      expect(loaderTraces(child.pid!)).toEqual([]);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
