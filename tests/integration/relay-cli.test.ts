// The relay CLI end to end against the real server: `node bin/hookscope.mjs listen <endpoint id>
// --server … --token <API token> --to http://127.0.0.1:<port>/hooks --since 0` delivers the
// captures made before it started, then live ones, in order, byte-exact (method, sub-path, query,
// header list, body sha256) to a local server, printing one line per delivery; stopped and
// restarted with --since <last seq>, it delivers the ones made while it was stopped. A share
// token works too, and says that what it relays is masked.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, root, startServer, type TestServer } from "../helpers/server";
import { rawRequest } from "../helpers/raw-http";
import { EchoServer, expectedOnWire, sha256, withoutConnection, type Pairs } from "../helpers/echo-server";

interface Cli {
  child: ChildProcess;
  lines: string[];
  errors: string[];
  exited: Promise<number | null>;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [path.join(root, "bin/hookscope.mjs"), ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOOKSCOPE_TOKEN: "" },
  });
  const lines: string[] = [];
  const errors: string[] = [];
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    const parts = out.split("\n");
    out = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on("data", (d: Buffer) => errors.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, lines, errors, exited };
}

async function stopCli(cli: Cli): Promise<number | null> {
  if (cli.child.exitCode !== null) return cli.child.exitCode;
  cli.child.kill("SIGINT");
  const code = await Promise.race([cli.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 8000))]);
  if (code === "timeout") {
    cli.child.kill("SIGKILL");
    return cli.exited;
  }
  return code;
}

async function until(what: string, fn: () => boolean, timeoutMs = 30_000, cli?: Cli) {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${cli ? `\nstdout:\n${cli.lines.join("\n")}\nstderr:\n${cli.errors.join("")}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deliveries = (cli: Cli) => cli.lines.filter((l) => l.includes(" → "));

describe.each(await providers())("relay CLI end to end (%s)", (provider) => {
  let server: TestServer;
  let target: EchoServer;
  let api: Api;
  let endpoint: { id: string; token: string };
  let token = "";
  const clis: Cli[] = [];
  /** Every capture sent, in order: what the target must receive. */
  const sent: { id: string; seq: number; method: string; suffix: string; headers: Pairs; body: Buffer }[] = [];

  beforeAll(async () => {
    server = await startServer({ provider });
    target = await new EchoServer().start();
    target.handler = (_r, res) => {
      res.writeHead(202, { "Content-Type": "text/plain" });
      res.end("thanks");
    };
    api = new Api(server.url);
    const user = await api.signUp(`relay-${provider}@example.test`);
    endpoint = await api.createEndpoint({ name: "relayed", workspaceId: user.personalWorkspaceId });
    const created = await api.json("POST", "/api/tokens", { name: "relay", workspaceId: user.personalWorkspaceId });
    expect(created.status).toBe(201);
    token = created.body.token;
  }, 120_000);
  afterAll(async () => {
    for (const cli of clis) await stopCli(cli);
    await target?.stop();
    await server?.stop();
  });

  let n = 0;
  /** A capture with chosen header case, order and duplicates, over a raw socket. */
  async function capture(kind: "binary" | "multipart" | "get") {
    n++;
    let method = "POST";
    let suffix = `/events/${n}?n=${n}&tag=a%20b`;
    let headers: Pairs = [
      ["Host", "hooks.example.test"],
      ["X-Dup", `${n}a`],
      ["x-dup", `${n}b`],
      ["User-Agent", "Relay-Test/1.0"],
      ["Authorization", `Bearer tok-${n}`],
    ];
    let body: Buffer;
    if (kind === "binary") {
      body = Buffer.concat([Buffer.from([0, 255, 13, 10, 0x80]), randomBytes(3000)]);
      headers.push(["Content-Type", "application/octet-stream"]);
    } else if (kind === "multipart") {
      const b = `----relay${n}`;
      body = Buffer.concat([
        Buffer.from(
          `--${b}\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        randomBytes(2000),
        Buffer.from(`\r\n--${b}--\r\n`),
      ]);
      headers.push(["content-type", `multipart/form-data; boundary=${b}`]);
    } else {
      method = "GET";
      suffix = `?only=query&n=${n}`;
      headers = headers.filter(([h]) => h.toLowerCase() !== "authorization");
      body = Buffer.alloc(0);
    }
    const head = `${method} /in/${endpoint.token}${suffix} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}${body.length ? `Content-Length: ${body.length}\r\n` : ""}Connection: close\r\n\r\n`;
    const res = await rawRequest(server.port, head, body);
    expect(res.status).toBe(200);
    const id = /X-Hookscope-Capture-Id: (\S+)/i.exec(res.headers)![1]!;
    const detail = (await api.json("GET", `/api/captures/${id}?reveal=1`)).body;
    sent.push({ id, seq: detail.seq, method, suffix, headers: detail.headers, body });
    return sent.at(-1)!;
  }

  function expectDelivered(from: number, to: number) {
    for (let i = from; i < to; i++) {
      const want = sent[i]!;
      const got = target.received[i]!;
      const sub = want.suffix.startsWith("?") ? `/hooks${want.suffix}` : `/hooks${want.suffix}`;
      expect(got.method, `delivery ${i}`).toBe(want.method);
      expect(got.url, `delivery ${i}`).toBe(sub);
      expect(got.sha256, `delivery ${i}`).toBe(sha256(want.body));
      expect(withoutConnection(got.headers), `delivery ${i}`).toEqual(
        expectedOnWire(want.headers, `127.0.0.1:${target.port}`, want.body.length),
      );
    }
  }

  it("delivers earlier captures after --since, then live ones, then resumes with --since after a stop", async () => {
    await capture("binary");
    await capture("multipart");
    await capture("get");

    const args = (since: number) => [
      "listen",
      endpoint.id,
      "--server",
      server.url,
      "--token",
      token,
      "--to",
      `http://127.0.0.1:${target.port}/hooks`,
      "--since",
      String(since),
    ];
    const first = startCli(args(0));
    clis.push(first);
    await until("the three earlier captures", () => target.received.length >= 3, 30_000, first);
    await until("the stream to be ready", () => first.lines.some((l) => l.includes("listening to")), 10_000, first);
    await capture("binary");
    await capture("multipart");
    await until("two live captures", () => target.received.length >= 5, 30_000, first);
    await until("five delivery lines", () => deliveries(first).length >= 5, 5000, first);
    expectDelivered(0, 5);
    // One line per delivery: its sequence, method, path, the target's status and the time.
    expect(deliveries(first)).toHaveLength(5);
    deliveries(first).forEach((line, i) => {
      expect(line).toMatch(new RegExp(`#${sent[i]!.seq} ${sent[i]!.method} /hooks\\S* → 202 \\d+ ms$`));
    });
    expect(await stopCli(first)).toBe(0);
    const lastSeq = Number(/#(\d+) /.exec(deliveries(first).at(-1)!)![1]);
    expect(lastSeq).toBe(sent[4]!.seq);

    // While it is stopped.
    await capture("get");
    await capture("binary");
    await new Promise((r) => setTimeout(r, 300));
    expect(target.received).toHaveLength(5);

    const second = startCli(args(lastSeq));
    clis.push(second);
    await until("the two made while stopped", () => target.received.length >= 7, 30_000, second);
    await until("the stream to be ready", () => second.lines.some((l) => l.includes("listening to")), 10_000, second);
    await capture("multipart");
    await until("one more live capture", () => target.received.length >= 8, 30_000, second);
    await until("three delivery lines", () => deliveries(second).length >= 3, 5000, second);
    expectDelivered(5, 8);
    expect(deliveries(second).map((l) => Number(/#(\d+) /.exec(l)![1]))).toEqual([sent[5]!.seq, sent[6]!.seq, sent[7]!.seq]);
    expect(await stopCli(second)).toBe(0);
    expect(target.received).toHaveLength(8);
  }, 120_000);

  it("relays through a share link too, saying the data is masked (secret headers left out)", async () => {
    const share = await api.json("POST", `/api/endpoints/${endpoint.id}/share-links`, {});
    expect(share.status).toBe(201);
    const shareToken = /\/s\/(hs_shr_[\w-]+)/.exec(share.body.url)![1]!;
    const before = target.received.length;
    const startSeq = sent.at(-1)!.seq;
    const cli = startCli([
      "listen",
      endpoint.id,
      "--server",
      server.url,
      "--token",
      shareToken,
      "--to",
      `http://127.0.0.1:${target.port}/hooks`,
      "--since",
      String(startSeq),
    ]);
    clis.push(cli);
    await until("the stream to be ready", () => cli.lines.some((l) => l.includes("listening to a share link")), 15_000, cli);
    // The note is its own line, which may reach the pipe in a later chunk than the "listening" one.
    await until("the masked-data note", () => cli.lines.some((l) => /note: share links deliver MASKED data/.test(l)), 5000, cli);
    const c = await capture("binary");
    await until("the shared delivery", () => target.received.length > before, 30_000, cli);
    const got = target.received.at(-1)!;
    // The body is exact here (no body rules); the Authorization header was masked, so it is left out.
    expect(got.sha256).toBe(sha256(c.body));
    expect(withoutConnection(got.headers)).toEqual(expectedOnWire(c.headers, `127.0.0.1:${target.port}`, c.body.length, ["authorization"]));
    await until("its line", () => deliveries(cli).length >= 1, 5000, cli);
    expect(deliveries(cli)[0]).toMatch(new RegExp(`#${c.seq} POST /hooks/events/\\d+\\S* → 202`));
    expect(await stopCli(cli)).toBe(0);
  }, 60_000);
});
