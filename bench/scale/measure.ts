// What the scale benchmark measures over HTTP, as the endpoint's owner, and the targets of issue 16.
import type { Api } from "../../tests/helpers/server";
import { repeat, type Stats } from "./load";

/** At least 12 queries of the shapes, written in HQL (selective and broad). */
export function queries(userSpace: number, deliveryId: string | null): { name: string; q: string }[] {
  return [
    { name: "text, selective", q: `user${Math.min(4242, userSpace - 1)}` },
    { name: "text, broad", q: "invoice" },
    { name: "text OR status", q: '"timeout" OR status:>=500' },
    { name: "method + header + JSON equality", q: 'method:POST header.x-github-event:push json.repository.full_name:"acme/api"' },
    { name: "provider + event glob + negation", q: "provider:stripe event:invoice.* -sig:valid" },
    { name: "JSON range + time range", q: "json.data.object.amount:>=1000 received:>-24h" },
    { name: "presence + path glob", q: "has:header.authorization path:/hooks/*" },
    { name: "type + size", q: "type:multipart size:>1mb" },
    { name: "ip CIDR", q: "ip:203.0.113.0/24" },
    { name: "header equality, broad", q: "header.x-shopify-topic:orders/create" },
    { name: "time range, broad", q: "received:-7d..-1d" },
    { name: "negation, broad", q: "-provider:github method:POST" },
    { name: "JSON equality, selective", q: "json.data.object.currency:jpy json.data.object.amount:>100000" },
    { name: "delivery id, selective", q: deliveryId ? `delivery:${deliveryId}` : "delivery:00000000-0000-4000-a000-000000000000" },
    { name: "type xml OR gzip text", q: "type:xml OR header.content-encoding:gzip" },
  ];
}

export interface Timed {
  status: number;
  stats: Stats;
  /** What the server answered last: rows on the page, or the error. */
  answer: unknown;
}

async function timedGet(
  api: Api,
  path: string,
  reps: number,
  budgetMs: number,
  summarize: (status: number, body: unknown) => unknown,
): Promise<Timed> {
  let status = 0;
  let answer: unknown = null;
  const r = await repeat(
    reps,
    async () => {
      const res = await api.request("GET", path);
      const text = await res.text();
      status = res.status;
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      answer = summarize(res.status, body);
    },
    budgetMs,
  );
  return { status, stats: r.stats, answer };
}

const page = (status: number, body: unknown) => {
  const b = body as { captures?: unknown[]; nextBefore?: number | null; error?: unknown; message?: unknown };
  return status === 200
    ? { rows: b.captures?.length ?? null, nextBefore: b.nextBefore ?? null }
    : { error: b.error ?? body, message: b.message };
};

export async function measureReads(
  api: Api,
  endpointId: string,
  opts: {
    oldestSeq: number;
    detailIds: string[];
    userSpace: number;
    deliveryId: string | null;
    reps: number;
    queryReps: number;
    countReps: number;
  },
) {
  const list = `/api/endpoints/${endpointId}/captures`;
  // Warm-up: the first request of each kind compiles routes and fills caches.
  await api.request("GET", `${list}?limit=50`).then((r) => r.text());
  await api.request("GET", `/api/captures/${opts.detailIds[0]}`).then((r) => r.text());
  const newest = await timedGet(api, `${list}?limit=50`, opts.reps, 60_000, page);
  const deep = await timedGet(api, `${list}?limit=50&before=${opts.oldestSeq + 60}`, opts.reps, 60_000, page);
  let d = 0;
  const detail = await repeat(opts.reps, async () => {
    const res = await api.request("GET", `/api/captures/${opts.detailIds[d++ % opts.detailIds.length]}`);
    await res.text();
    if (res.status !== 200) throw new Error(`detail: ${res.status}`);
  });
  const perQuery: { name: string; q: string; page: Timed; count: Timed }[] = [];
  for (const { name, q } of queries(opts.userSpace, opts.deliveryId)) {
    const qs = encodeURIComponent(q);
    const first = await timedGet(api, `${list}?limit=50&q=${qs}`, opts.queryReps, 30_000, page);
    const count = await timedGet(api, `${list}/count?q=${qs}`, opts.countReps, 30_000, (status, body) =>
      status === 200 ? body : { status, error: (body as { error?: unknown })?.error ?? null },
    );
    perQuery.push({ name, q, page: first, count });
    console.log(
      `  q ${JSON.stringify(q)}: ${first.status} p95 ${first.stats.p95Ms} ms ${JSON.stringify(first.answer)}; count ${count.status} p95 ${count.stats.p95Ms} ms`,
    );
  }
  return { newest, deep, detail: { status: 200, stats: detail.stats, answer: null } as Timed, queries: perQuery };
}

export interface Target {
  what: string;
  limit: string;
  measured: string;
  met: boolean;
}

export function targets(
  reads: Awaited<ReturnType<typeof measureReads>>,
  during: { non2xx: number; latency: Stats },
  del: { finished: boolean; ms: number },
): Target[] {
  const t: Target[] = [];
  const ms = (x: number) => `${x} ms`;
  const http = (x: Timed, limit: number, what: string) => {
    // The API answers a full page whenever that many matches exist: an empty page that
    // still has a cursor (today's bounded text scan) is no answer, however fast.
    const a = x.answer as { rows?: number | null; nextBefore?: number | null } | null;
    const emptyWithCursor = a?.rows === 0 && a.nextBefore !== null && a.nextBefore !== undefined;
    const measured =
      x.status !== 200 ? `HTTP ${x.status}` : `${ms(x.stats.p95Ms)}${emptyWithCursor ? " (an empty page with a cursor)" : ""}`;
    t.push({ what, limit: `p95 <= ${limit} ms`, measured, met: x.status === 200 && !emptyWithCursor && x.stats.p95Ms <= limit });
  };
  http(reads.newest, 50, "newest page (limit=50)");
  http(reads.deep, 50, "deep page (before= near the oldest)");
  http(reads.detail, 30, "capture detail");
  for (const q of reads.queries) http(q.page, 300, `first page of q=${q.q}`);
  for (const q of reads.queries) http(q.count, 2000, `count of q=${q.q}`);
  t.push({
    what: "the delete job ran to its end",
    limit: "state done",
    measured: del.finished ? `done in ${del.ms} ms` : "not done",
    met: del.finished,
  });
  t.push({
    what: "other endpoint during the delete: p99",
    limit: "p99 <= 25 ms",
    measured: ms(during.latency.p99Ms),
    met: during.latency.p99Ms <= 25,
  });
  t.push({ what: "other endpoint during the delete: non-2xx", limit: "0", measured: String(during.non2xx), met: during.non2xx === 0 });
  return t;
}
