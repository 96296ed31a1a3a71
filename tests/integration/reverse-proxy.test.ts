// docs/deploy.md's nginx and Caddy set-ups, run for real: the ```nginx and ```caddyfile blocks of the
// document (upstreams pointed at two instances on PostgreSQL + Redis, TLS and the port-80 redirect left
// out, one loopback port for both hosts) in front of them. Through it: a live stream on the dashboard host gets a capture sent to
// the capture host at once (no buffering), the capture keeps its headers (an underscore in a name
// included) and bytes, the stored sender address is the client's (TRUST_PROXY=1), and a body just
// over MAX_BODY_BYTES is refused by Hookscope itself (413 body_too_large, recorded), not by nginx.
// Each proxy is skipped when it is not installed (apt-get install nginx-light caddy).
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
const CADDY = process.env.CADDY_BIN ?? "/usr/bin/caddy";
function missing(bin: string, versionFlag: string): string | null {
  try {
    execFileSync(bin, [versionFlag], { stdio: "ignore" });
    return null;
  } catch {
    return `${bin} is not installed`;
  }
}
const skip = await clusterUnavailable();
const noNginx = missing(NGINX, "-v");
const noCaddy = missing(CADDY, "version");
for (const why of [noNginx, noCaddy]) if (why) console.warn(`skipping a reverse-proxy test: ${why}`);

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

/** The document's Caddyfile, for loopback: plain HTTP on one port, the instances' addresses, no admin API. */
function caddyfileFromDocs(listen: number, app: string[], capture: string[], dataDir: string): string {
  const doc = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
  const block = /```caddyfile\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/deploy.md has no ```caddyfile block");
  const conf = block
    .replace(`${DASHBOARD_HOST} {`, `http://${DASHBOARD_HOST}:${listen} {`)
    .replace(`${CAPTURE_HOST} {`, `http://${CAPTURE_HOST}:${listen} {`)
    .replace("10.0.0.11:3000 10.0.0.12:3000", app.join(" "))
    .replace("10.0.0.11:3001 10.0.0.12:3001", capture.join(" "));
  if (conf.includes("10.0.0.")) throw new Error("an upstream of the Caddyfile was not replaced");
  return `{\n\tadmin off\n\tauto_https off\n\tstorage file_system ${dataDir}\n}\n${conf}`;
}

describe.skipIf(skip !== null)("docs/deploy.md's proxies in front of two instances", () => {
  let a: TestServer;
  let b: TestServer;
  const capturePorts: number[] = [];

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
    capturePorts.push(await freePort());
    a = await startServer({ provider: "postgresql", env: { ...env, CAPTURE_PORT: String(capturePorts[0]) } });
    capturePorts.push(await freePort());
    b = await startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env: { ...env, CAPTURE_PORT: String(capturePorts[1]) } });
  }, 120_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** Starts a proxy process; answers its port and how to stop it. */
  async function startProxy(kind: "nginx" | "caddy") {
    const dir = mkdtempSync(path.join(os.tmpdir(), `hookscope-${kind}-`));
    for (const sub of ["logs", "tmp", "data"]) mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o777 });
    const port = await freePort();
    const app = [a, b].map((s) => `127.0.0.1:${s.port}`);
    const capture = capturePorts.map((p) => `127.0.0.1:${p}`);
    let child: ChildProcess;
    if (kind === "nginx") {
      const conf = path.join(dir, "nginx.conf");
      writeFileSync(
        conf,
        [
          "worker_processes 1;",
          `pid ${dir}/nginx.pid;`,
          `error_log ${dir}/logs/error.log warn;`,
          "events { worker_connections 256; }",
          "http {",
          "  access_log off;",
          ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${dir}/tmp/${t};`),
          nginxConfFromDocs(port, app, capture),
          "}",
        ].join("\n"),
      );
      execFileSync(NGINX, ["-t", "-p", dir, "-c", conf], { stdio: "pipe" });
      child = spawn(NGINX, ["-p", dir, "-c", conf, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    } else {
      const conf = path.join(dir, "Caddyfile");
      writeFileSync(conf, caddyfileFromDocs(port, app, capture, path.join(dir, "data")));
      const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
      execFileSync(CADDY, ["validate", "--config", conf, "--adapter", "caddyfile"], { stdio: "pipe", env });
      child = spawn(CADDY, ["run", "--config", conf, "--adapter", "caddyfile"], { stdio: ["ignore", "pipe", "pipe"], env });
    }
    child.stdout!.resume();
    child.stderr!.resume();
    const startedAt = Date.now();
    for (let i = 0; i < 200; i++) {
      const up = await fetchFrom("127.0.0.1", `http://127.0.0.1:${port}/healthz`, { headers: { host: DASHBOARD_HOST } }).then(
        (r) => r.status,
        () => 0,
      );
      if (up === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    console.info(`${kind} answered /healthz ${Date.now() - startedAt} ms after it was started`);
    return {
      port,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          // Caddy drains open connections for a while: bounded here.
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  for (const [kind, why] of [
    ["nginx", noNginx],
    ["caddy", noCaddy],
  ] as const) {
    // nginx passes header names as sent; Caddy (Go) rewrites HTTP/1.1 names to their canonical case.
    const githubEventName = kind === "nginx" ? "x-github-event" : "X-Github-Event";
    it.skipIf(why !== null)(
      `${kind}: streams at once, keeps headers, bytes and the client's address, and lets Hookscope refuse a body over MAX_BODY_BYTES`,
      async () => {
        const proxy = await startProxy(kind);
        try {
          await throughProxy(proxy.port, kind, githubEventName);
        } finally {
          await proxy.stop();
        }
      },
      60_000,
    );
  }

  async function throughProxy(port: number, kind: string, githubEventName: string) {
    const user = new Api(a.url);
    await user.signUp(`proxy-${kind}@example.test`);
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
      headers: {
        host: CAPTURE_HOST,
        "content-type": "application/json",
        x_signature_v1: "under_score",
        "X-Long": "x".repeat(9000),
        "x-github-event": "push",
      },
      body,
    });
    expect(res.status).toBe(200);
    const { captureId } = (await res.json()) as { captureId: string };
    await s.until(() => s.captures().some((c) => c.id === captureId), 2000);
    // Unbuffered: the event came through while the stream stays open.
    console.info(`capture through ${kind} → event through ${kind}: ${Date.now() - sentAt} ms`);
    expect(Date.now() - sentAt).toBeLessThan(3000); // a buffered stream would hold a lone event until its buffer filled
    expect(s.endedAt).toBe(0);
    s.close();

    const { body: d } = await user.json("GET", `/api/captures/${captureId}`);
    const headers = new Map((d.headers as [string, string][]).map(([k, v]) => [k.toLowerCase(), v]));
    expect((d.headers as [string, string][]).some(([k, v]) => k === githubEventName && v === "push")).toBe(true);
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
  }
});
