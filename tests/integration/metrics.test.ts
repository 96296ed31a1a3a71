// GET /metrics (Prometheus text): off without METRICS_TOKEN (404), 401 without the bearer token,
// and counters that move with real traffic: captures accepted and refused by reason, write groups
// and commit times (observed on the write worker, merged from the door thread), live streams, 429s.
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { Api, startServer, type TestServer } from "../helpers/server";

const TOKEN = "metrics-token-for-the-test-0123";
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("/metrics", () => {
  it("is off without METRICS_TOKEN", async () => {
    const server = await startServer();
    servers.push(server);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
  });

  it("needs the bearer token, and its counters follow captures, live streams and 429s", async () => {
    const server = await startServer({ env: { METRICS_TOKEN: TOKEN, ENDPOINT_CREATE_LIMIT: "2" } });
    servers.push(server);
    const scrape = async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      return res.text();
    };
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);

    const before = await scrape();
    expect(sample(before, "hookscope_captures_total", 'outcome="accepted",reason=""')).toBe(0);
    expect(before).toContain("hookscope_process_resident_memory_bytes");

    const api = new Api(server.url);
    const endpoint = await api.createEndpoint();
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${server.url}/in/${endpoint.token}`, { method: "POST", body: `n=${i}` })).status).toBe(200);
    expect((await fetch(`${server.url}/in/no-such-endpoint-token`, { method: "POST", body: "x" })).status).toBe(404);

    // The third endpoint from this address in the window is refused (ENDPOINT_CREATE_LIMIT=2).
    await api.createEndpoint();
    expect((await api.request("POST", "/api/endpoints", {})).status).toBe(429);

    // One live stream open while scraping.
    const stream = await new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.get(`${server.url}/api/endpoints/${endpoint.id}/stream`, { headers: { cookie: api.cookie } }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
          if (text.includes("event: ready")) resolve(req);
        });
      });
      req.on("error", reject);
    });

    const after = await scrape();
    stream.destroy();
    expect(sample(after, "hookscope_captures_total", 'outcome="accepted",reason=""')).toBe(3);
    expect(sample(after, "hookscope_captures_total", 'outcome="refused",reason="unknown_endpoint"')).toBe(1);
    expect(sample(after, "hookscope_write_group_rows_sum")).toBe(3);
    expect(sample(after, "hookscope_write_group_rows_count")).toBeGreaterThanOrEqual(1);
    expect(sample(after, "hookscope_commit_seconds_count")).toBe(sample(after, "hookscope_write_group_rows_count"));
    expect(sample(after, "hookscope_rate_limited_total", 'door="app"')).toBe(1);
    expect(sample(after, "hookscope_sse_subscribers")).toBe(1);
    expect(after).toContain("hookscope_forward_queue_depth 0");
    // Jobs pending in the database (none: no rule here), and the Redis error counter (no Redis: no samples).
    expect(after).toContain("hookscope_forward_jobs_pending 0");
    expect(after).toContain("# TYPE hookscope_redis_errors_total counter");
    expect(sample(after, "hookscope_database_errors_total", 'kind="failed"')).toBe(0);
  });
});
