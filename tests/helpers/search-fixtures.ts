// Captures for the search tests, sent through the real capture door: webhook-like senders (Stripe,
// GitHub), every body type (JSON, form, multipart, XML, gzip-compressed JSON, binary), a rejected
// oversize request, another client address, and one carrying secrets the default and endpoint rules mask.
import { gzipSync } from "node:zlib";
import { fetchFrom, type TestServer } from "./server";

export const SECRET_TOKEN = "SECRETTOKEN-xyz-777";
export const SECRET_CARD = "4242-secret-card-9";
/** The server must run with this MAX_BODY_BYTES so the oversize fixture is refused. */
export const TEST_MAX_BODY_BYTES = "65536";

export interface Fixture {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  from?: string;
}

const boundary = "----hqlBoundary7";
const multipart = [
  `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello parts\r\n`,
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\n${"a,b,c\n".repeat(40)}\r\n`,
  `--${boundary}--\r\n`,
].join("");

export const FIXTURES: Fixture[] = [
  {
    name: "stripe",
    path: "/hooks/stripe",
    headers: { "content-type": "application/json", "stripe-signature": "t=1700000000,v1=abcdef0123" },
    body: JSON.stringify({ id: "evt_1", type: "invoice.paid", data: { object: { amount: 1500, currency: "usd" } } }),
  },
  {
    name: "github",
    path: "/gh?ref=main",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": "d-123-abc",
      "x-hub-signature-256": "sha256=00ff",
    },
    body: JSON.stringify({ ref: "refs/heads/main", repository: { full_name: "acme/api" }, commits: [{ id: "c1" }, { id: "c2" }] }),
  },
  { name: "form", path: "/form", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "user=alice&amount=42" },
  { name: "multipart", path: "/upload", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: multipart },
  { name: "xml", path: "/xml", headers: { "content-type": "application/xml" }, body: "<order><id>77</id><state>shipped</state></order>" },
  {
    name: "gzip",
    path: "/gz",
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
    body: new Uint8Array(gzipSync(JSON.stringify({ msg: "upstream timeout while compressing" }))),
  },
  {
    name: "binary",
    path: "/bin",
    headers: { "content-type": "application/octet-stream" },
    body: new Uint8Array([0, 1, 2, 0, 255, 0, 7, 0, 0, 9]),
  },
  { name: "oversize", path: "/big", headers: { "content-type": "text/plain" }, body: "x".repeat(70_000) },
  { name: "get", method: "GET", path: "/ping?x=1&y=two", from: "127.0.0.2" },
  {
    name: "secret",
    method: "PUT",
    path: "/secret",
    headers: { authorization: `Bearer ${SECRET_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ card: { number: SECRET_CARD }, note: "visible words" }),
  },
];

/** Sends each fixture in order; returns name → capture id. */
export async function sendFixtures(server: TestServer, token: string, fixtures = FIXTURES): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const f of fixtures) {
    const url = `${server.url}/in/${token}${f.path ?? ""}`;
    const method = f.method ?? "POST";
    const res = f.from
      ? await fetchFrom(f.from, url, { method, headers: f.headers, body: typeof f.body === "string" ? f.body : undefined })
      : await fetch(url, { method, headers: f.headers, body: f.body });
    const text = await res.text();
    // A refused upload is recorded too; its 413 names the capture ("…recorded as cap_….").
    const id =
      res.status === 413
        ? /recorded as (\S+)\.$/.exec((JSON.parse(text) as { error: { message: string } }).error.message)?.[1]
        : (JSON.parse(text || "{}") as { captureId?: string }).captureId;
    if (!id) throw new Error(`${f.name}: ${res.status} ${text}`);
    ids.set(f.name, id);
  }
  return ids;
}
