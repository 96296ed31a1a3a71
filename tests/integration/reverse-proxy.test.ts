// docs/deploy.md's nginx set-up, run for real: the ```nginx block of the document (its upstreams pointed
// at two instances on PostgreSQL + Redis, TLS and the port-80 redirect left out, one loopback port for
// both hosts) in front of them. Through it: a live stream on the dashboard host gets a capture sent to
// the capture host at once (no buffering), the capture keeps its headers (an underscore in a name
// included) and bytes, the stored sender address is the client's (TRUST_PROXY=1), and a body just
// over MAX_BODY_BYTES is refused by Hookscope itself (413 body_too_large, recorded), not by nginx.
// Skipped when nginx is not installed (apt-get install nginx-light).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterUnavailable, SHARED_REDIS_URL } from "../helpers/cluster";
import { freePort } from "../helpers/ports";
import { Api, fetchFrom, root, startServer, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

const NGINX = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
function nginxMissing(): string | null {
  try {
    execFileSync(NGINX, ["-v"], { stdio: "ignore" });
    return null;
  } catch {
    return `${NGINX} is not installed`;
  }
}
const skip = nginxMissing() ?? (await clusterUnavailable());
if (skip) console.warn(`skipping the reverse-proxy test: ${skip}`);

const DASHBOARD_HOST = "hookscope.example.com";
const CAPTURE_HOST = "hooks.example-captures.net";

/** The document's nginx block, for loopback: instances' addresses, one plain-HTTP listener, no TLS. */
function nginxConfFromDocs(listen: number, app: string[], capture: string[]): string {
  const doc = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/deploy.md has no ```nginx block");
  const servers = (list: string[]) => list.map((a) => `    server ${a};`).join("\n");
  let conf = block
    .replace(/upstream hookscope_app \{[\s\S]*?\n\}/, `upstream hookscope_app {\n${servers(app)}\n    keepalive 32;\n}`)
    .replace(/upstream hookscope_capture \{[\s\S]*?\n\}/, `upstream hookscope_capture {\n${servers(capture)}\n    keepalive 64;\n}`)
    .replace(/listen 443 ssl;/g, `listen 127.0.0.1:${listen};`)
    .replace(/^\s*(http2 on|ssl_certificate(_key)?)\b.*$/gm, "");
  // The port-80 block (a redirect to https) has no place here.
  conf = conf.replace(/server \{\n\s*listen 80;[\s\S]*?\n\}/, "");
  for (const must of ["proxy_buffering    off", "client_max_body_size", "underscores_in_headers      on", "$proxy_add_x_forwarded_for"]) {
    if (!conf.includes(must)) throw new Error(`the nginx block lost "${must}"`);
  }
  return conf;
}

describe.skipIf(skip !== null)("docs/deploy.md's nginx in front of two instances", () => {
  let a: TestServer;
  let b: TestServer;
  let nginx: ChildProcess | undefined;
  let port = 0;
  let dir = "";
  const nginxLog: string[] = [];

  beforeAll(async () => {
    const env = {
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: `hs-test-${randomUUID().slice(0, 8)}:`,
      SECRET: "reverse-proxy-secret-reverse-proxy-secret-0123456",
      PUBLIC_URL: `http://${DASHBOARD_HOST}`,
      CAPTURE_PUBLIC_URL: `http://${CAPTURE_HOST}`,
      TRUST_PROXY: "1",
    };
    // Each instance's capture-only listener (CAPTURE_PORT), on a port free when it starts.
    const capturePorts: number[] = [];
    capturePorts.push(await freePort());
    a = await startServer({ provider: "postgresql", env: { ...env, CAPTURE_PORT: String(capturePorts[0]) } });
    capturePorts.push(await freePort());
    b = await startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env: { ...env, CAPTURE_PORT: String(capturePorts[1]) } });
    dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-nginx-"));
    for (const sub of ["logs", "tmp"]) mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o777 });
    port = await freePort();
    const site = nginxConfFromDocs(
      port,
      [a, b].map((s) => `127.0.0.1:${s.port}`),
      capturePorts.map((p) => `127.0.0.1:${p}`),
    );
    writeFileSync(
      path.join(dir, "nginx.conf"),
      [
        "worker_processes 1;",
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/logs/error.log warn;`,
        "events { worker_connections 256; }",
        "http {",
        "  access_log off;",
        ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${dir}/tmp/${t};`),
        site,
        "}",
      ].join("\n"),
    );
    execFileSync(NGINX, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: "pipe" });
    nginx = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    nginx.stderr!.on("data", (d: Buffer) => nginxLog.push(d.toString()));
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (up === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 120_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once("exit", r));
      nginx.kill("SIGTERM");
      await exited;
    }
    await b?.stop();
    await a?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("streams at once, keeps headers, bytes and the client's address, and lets Hookscope refuse a body over MAX_BODY_BYTES", async () => {
    const user = new Api(a.url);
    await user.signUp("proxy@example.test");
    const ep = await user.createEndpoint({ name: "behind-nginx" });
    const via = `http://127.0.0.1:${port}`;

    // A live stream through the dashboard host.
    const s = openStream(`${via}/api/endpoints/${ep.id}/stream`, { host: DASHBOARD_HOST, cookie: user.cookie });
    await s.opened;
    expect(s.status).toBe(200);
    await s.until(() => s.events.some((e) => e.event === "ready"), 5000);

    // A capture through the capture host, from another client address.
    const body = `{"exact":"bytes",  "kept":true}\n`;
    const sentAt = Date.now();
    const res = await fetchFrom("127.0.0.9", `${via}/in/${ep.token}/via-proxy`, {
      method: "POST",
      headers: { host: CAPTURE_HOST, "content-type": "application/json", x_signature_v1: "under_score", "X-Long": "x".repeat(9000) },
      body,
    });
    expect(res.status).toBe(200);
    const { captureId } = (await res.json()) as { captureId: string };
    await s.until(() => s.captures().some((c) => c.id === captureId), 2000);
    // Unbuffered: the event came through while the stream stays open.
    console.info(`capture through nginx → event through nginx: ${Date.now() - sentAt} ms`);
    expect(Date.now() - sentAt).toBeLessThan(3000); // a buffered stream would hold a lone event until its buffer filled
    expect(s.endedAt).toBe(0);
    s.close();

    const { body: d } = await user.json("GET", `/api/captures/${captureId}`);
    const headers = new Map((d.headers as [string, string][]).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers.get("x_signature_v1")).toBe("under_score");
    expect(headers.get("x-long")).toHaveLength(9000);
    expect(headers.get("host")).toBe(CAPTURE_HOST);
    expect(headers.get("x-forwarded-for")).toBe("127.0.0.9");
    expect(d.remoteAddr).toBe("127.0.0.9");
    expect((await user.rawBody(captureId)).toString()).toBe(body);

    // Just over MAX_BODY_BYTES (10 MiB): Hookscope's own 413, and the attempt is recorded.
    const big = await fetchFrom("127.0.0.9", `${via}/in/${ep.token}/too-big`, {
      method: "POST",
      headers: { host: CAPTURE_HOST, "content-type": "application/octet-stream" },
      body: "x".repeat(10 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe("body_too_large");

    // The dashboard host serves captures too.
    const onDashboard = await fetchFrom("127.0.0.9", `${via}/in/${ep.token}/dashboard-host`, {
      method: "POST",
      headers: { host: DASHBOARD_HOST },
      body: "x",
    });
    expect(onDashboard.status).toBe(200);
    expect(nginxLog.join("")).toBe("");
  }, 60_000);
});
