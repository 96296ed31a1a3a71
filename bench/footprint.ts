// The server's footprint (issue 17): start-up to ready, resident memory of its process tree idle and
// under the 64-connection capture load. Used by `npm run bench` (bench/run.ts) and on its own:
//   tsx bench/footprint.ts [--cmd "npm start"] [--port 4210] [--seconds 10]
// Memory is read from /proc: RSS (what `ps` shows; pages shared between processes count in each) and
// PSS (shared pages split between the processes that map them: the sum is the tree's real share).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ProcessMemory {
  pid: number;
  command: string;
  rssMb: number;
  pssMb: number;
  threads: number;
}

export interface TreeMemory {
  rssMb: number;
  pssMb: number;
  processes: ProcessMemory[];
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function readOr(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The process and every descendant (from /proc/<pid>/stat's parent field). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOr(`/proc/${name}/stat`);
    // The command sits in parentheses and may itself hold spaces or parentheses: read after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(Number(name));
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** The command line of a process ("" once it has gone). */
export function commandLine(pid: number): string {
  return readOr(`/proc/${pid}/cmdline`).split("\0").filter(Boolean).join(" ");
}

export function processMemory(pid: number): ProcessMemory | null {
  const status = readOr(`/proc/${pid}/status`);
  if (!status) return null;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const threads = Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const pss = Number(/^Pss:\s+(\d+)/m.exec(readOr(`/proc/${pid}/smaps_rollup`))?.[1] ?? 0);
  return { pid, command: commandLine(pid).slice(0, 160), rssMb: mb(rss), pssMb: mb(pss), threads };
}

export function treeMemory(pid: number): TreeMemory {
  const processes = processTree(pid)
    .map(processMemory)
    .filter((p): p is ProcessMemory => p !== null);
  const sum = (k: "rssMb" | "pssMb") => Math.round(processes.reduce((n, p) => n + p[k], 0) * 10) / 10;
  return { rssMb: sum("rssMb"), pssMb: sum("pssMb"), processes };
}

/** The node process that serves (the one that logged "hookscope listening" with its pid). */
export interface Started {
  child: ChildProcess;
  port: number;
  serverPid: number;
  /** Spawn → listening line. */
  listeningMs: number;
  /** Spawn → /readyz 200 (or /healthz 200 where there is no /readyz). */
  readyMs: number;
  logs: string[];
}

export async function startMeasured(command: string, env: Record<string, string>): Promise<Started> {
  const started = performance.now();
  const child = spawn("sh", ["-c", `exec ${command}`], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const listening = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${logs.join("")}`)), 300_000);
    child.stdout!.on("data", (d: Buffer) => {
      logs.push(d.toString());
      buf += d.toString();
      for (const line of buf.split("\n")) {
        if (!line.includes("hookscope listening")) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; pid: number });
        return;
      }
    });
    child.stderr!.on("data", (d: Buffer) => logs.push(d.toString()));
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${logs.join("")}`)));
  });
  const listeningMs = performance.now() - started;
  const base = `http://127.0.0.1:${listening.port}`;
  let probe = "/readyz";
  for (;;) {
    const res = await fetch(`${base}${probe}`).catch(() => null);
    if (res?.status === 404 && probe === "/readyz") probe = "/healthz";
    else if (res?.status === 200) break;
    await res?.arrayBuffer();
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, port: listening.port, serverPid: listening.pid, listeningMs, readyMs: performance.now() - started, logs };
}

export function stopMeasured(s: Started): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve();
    const timer = setTimeout(() => s.child.kill("SIGKILL"), 10_000);
    s.child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    s.child.kill("SIGTERM");
  });
}

/** Samples the tree's memory every `everyMs` while `work` runs; answers the sample with the largest RSS. */
export async function peakDuring<T>(pid: number, work: Promise<T>, everyMs = 250): Promise<{ result: T; peak: TreeMemory }> {
  let peak = treeMemory(pid);
  const timer = setInterval(() => {
    const now = treeMemory(pid);
    if (now.rssMb > peak.rssMb) peak = now;
  }, everyMs);
  try {
    return { result: await work, peak };
  } finally {
    clearInterval(timer);
  }
}

export interface Footprint {
  command: string;
  /** Spawn → /readyz 200, with an existing build, on a new database (migrations applied at this start). */
  startToReadyMs: number;
  /** The same on the database of the first start (nothing to migrate): a restart. */
  restartToReadyMs: number;
  startToListeningMs: number;
  idle: { tree: TreeMemory; server: ProcessMemory | null };
  loaded: { tree: TreeMemory; server: ProcessMemory | null; seconds: number; connections: number; requestsPerSecond: number };
  /** Processes in the tree whose command names tsx or esbuild (must be none). */
  loaderProcesses: string[];
}

function wrkRun(url: string, seconds: number, connections: number, dir: string): Promise<number> {
  const script = path.join(dir, "footprint-post.lua");
  const body = JSON.stringify({ id: "evt_1", type: "invoice.paid" }).padEnd(1024, " ");
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["content-type"] = "application/json"\n`);
  return new Promise((resolve, reject) => {
    execFile("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, url], (err, stdout) => {
      if (err) return reject(err);
      const total = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      resolve(Math.round((total - non2xx) / seconds));
    });
  });
}

/** One start, idle settle, and a capture load, on a fresh SQLite database. */
export async function measureFootprint(opts: {
  command: string;
  port: number;
  idleSettleMs?: number;
  loadSeconds?: number;
  env?: Record<string, string>;
}): Promise<Footprint> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookscope-footprint-"));
  const env = { PORT: String(opts.port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info", ...opts.env };
  const s = await startMeasured(opts.command, env);
  try {
    const base = `http://127.0.0.1:${s.port}`;
    // Idle: the dashboard's home page and one endpoint created (what a first visit does), then quiet.
    await (await fetch(`${base}/`)).arrayBuffer();
    const created = await fetch(`${base}/api/endpoints`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const endpoint = (await created.json()) as { token: string };
    await new Promise((r) => setTimeout(r, opts.idleSettleMs ?? 10_000));
    const idleTree = treeMemory(s.child.pid!);
    const idle = { tree: idleTree, server: processMemory(s.serverPid) };
    const seconds = opts.loadSeconds ?? 10;
    const { result, peak } = await peakDuring(s.child.pid!, wrkRun(`${base}/in/${endpoint.token}`, seconds, 64, dataDir));
    const loaded = {
      tree: peak,
      server: peak.processes.find((p) => p.pid === s.serverPid) ?? null,
      seconds,
      connections: 64,
      requestsPerSecond: result,
    };
    const loaderProcesses = idleTree.processes.map((p) => p.command).filter((c) => /\btsx\b|esbuild/.test(c));
    await stopMeasured(s);
    const again = await startMeasured(opts.command, env);
    await stopMeasured(again);
    return {
      command: opts.command,
      startToReadyMs: Math.round(s.readyMs),
      restartToReadyMs: Math.round(again.readyMs),
      startToListeningMs: Math.round(s.listeningMs),
      idle,
      loaded,
      loaderProcesses,
    };
  } finally {
    await stopMeasured(s);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const result = await measureFootprint({
    command: arg("cmd", "npm start"),
    port: Number(arg("port", "4210")),
    loadSeconds: Number(arg("seconds", "10")),
    idleSettleMs: Number(arg("settle", "10000")),
  });
  console.log(JSON.stringify(result, null, 2));
}
