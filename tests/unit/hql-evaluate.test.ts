// In-memory HQL evaluation: queries → match / no match on fixture SearchDocs, every field and
// operator, negation on missing values, OR precedence, and the glob matcher's worst cases.
import { describe, expect, it } from "vitest";
import type { SearchDoc } from "@/lib/search/doc";
import { evaluate, parse } from "@/lib/search/hql";
import { globContains, globMatch } from "@/lib/search/hql/glob";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const H = 3_600_000;

const github: SearchDoc = {
  method: "POST",
  path: "/hooks/github%20app",
  query: "page=2&tag=a%2Bb&tag=c+d&Empty=",
  headers: [
    ["Content-Type", "application/json"],
    ["X-GitHub-Event", "push"],
    ["Authorization", "Bearer t0ken"],
    ["X-Dup", "one"],
    ["x-dup", "two"],
  ],
  bodyText: '{"repository":{"full_name":"Acme/API"},"amount":1500,"ref":"refs/heads/main"}',
  bodyType: "json",
  json: {
    repository: { full_name: "Acme/API", private: false, topics: ["ci", "Webhooks"] },
    amount: 1500,
    code: "1000",
    nothing: null,
    commits: [
      { id: "c1", added: 3 },
      { id: "c2", added: 12 },
    ],
  },
  status: 200,
  size: 2 * 1024 * 1024,
  receivedAt: NOW - 30 * 60_000,
  ip: "203.0.113.9",
  rejected: null,
  sig: "valid",
  provider: "github",
  event: "push",
  delivery: "d-123",
  endpointId: "ep_1",
  endpointAlias: "orders",
};

const stripe: SearchDoc = {
  method: "POST",
  path: "/stripe",
  query: "",
  headers: [["Stripe-Signature", "t=1,v1=abc"]],
  bodyText: "request timeout while contacting upstream",
  bodyType: "multipart",
  form: [
    ["email", "ops@acme.com"],
    ["file", "invoice.pdf"],
  ],
  status: 503,
  size: 900,
  receivedAt: Date.UTC(2026, 11, 1, 10, 0, 30),
  ip: "::ffff:198.51.100.7",
  rejected: "body_too_large",
  sig: "invalid",
  provider: "stripe",
  event: "invoice.payment_failed",
  delivery: null,
  endpointId: "ep_2",
};

const bare: SearchDoc = {
  method: "GET",
  path: "",
  query: "",
  headers: [],
  bodyText: "",
  bodyType: "empty",
  status: 404,
  size: 0,
  receivedAt: NOW - 10 * 24 * H,
  ip: "2001:db8::42",
  rejected: null,
  sig: "unknown",
  provider: null,
  event: null,
  delivery: null,
  endpointId: "ep_3",
};

const docs = { github, stripe, bare };
type Name = keyof typeof docs;
const matching = (q: string) => (Object.keys(docs) as Name[]).filter((n) => evaluate(parse(q, { now: NOW }), docs[n]));

describe("evaluate: the issue's examples", () => {
  it.each<[string, Name[]]>([
    ['method:POST header.x-github-event:push json.repository.full_name:"acme/api"', ["github"]],
    ["provider:stripe event:invoice.* -sig:valid", ["stripe"]],
    ["json.amount:>=1000 received:>-1h", ["github"]],
    ["has:header.authorization path:/hooks/*", ["github"]],
    ['"timeout" OR status:>=500', ["stripe"]],
    ["type:multipart size:<1kb", ["stripe"]],
    ["ip:203.0.113.0/24", ["github"]],
  ])("%s → %j", (q, expected) => {
    expect(matching(q)).toEqual(expected);
  });
});

describe("evaluate: fields", () => {
  it.each<[string, Name[]]>([
    ["", ["github", "stripe", "bare"]],
    ["method:post", ["github", "stripe"]],
    ["method:[GET,PUT]", ["bare"]],
    ["method:P*", ["github", "stripe"]],
    ["path:/hooks", []],
    ['path:"/hooks/github app"', ["github"]],
    ["path:/hooks/github%20app", ["github"]],
    ["path:*GITHUB*", ["github"]],
    ["query.page:2", ["github"]],
    ["query.tag:a+b", ["github"]],
    ['query.tag:"c d"', ["github"]],
    ["query.Page:2", []],
    ["has:query.Empty", ["github"]],
    ["query.Empty:*", ["github"]],
    ["header.x-dup:two", ["github"]],
    ["header.X-DUP:ONE", ["github"]],
    ["header.content-type:application/*", ["github"]],
    ["header.content-type:application", []],
    ["form.email:*@acme.com", ["stripe"]],
    ["form.file:invoice.pdf", ["stripe"]],
    ["form.Email:*", []],
    ["body:timeout", ["stripe"]],
    ["body:TIME*UPSTREAM", ["stripe"]],
    ["body:contact", ["stripe"]],
    ["status:404", ["bare"]],
    ["status:5xx", ["stripe"]],
    ["status:[200,404]", ["github", "bare"]],
    ["status:[2xx,503]", ["github", "stripe"]],
    ["status:400..499", ["bare"]],
    ["status:<404", ["github"]],
    ["status:<=404", ["github", "bare"]],
    ["size:>1mb", ["github"]],
    ["size:2mb", ["github"]],
    ["size:900", ["stripe"]],
    ["size:1..1kb", ["stripe"]],
    ["size:<1", ["bare"]],
    ["type:json", ["github"]],
    ["type:[empty,multipart]", ["stripe", "bare"]],
    ["received:>-1h", ["github"]],
    ["received:<-1h", ["stripe", "bare"]],
    ["received:-7d..-1d", ["stripe"]],
    ["received:-1d", ["github"]],
    ["received:2026-12-01", ["stripe"]],
    ["received:2026-12-01T10:00Z", ["stripe"]],
    ["received:2026-12-01T10:01Z", []],
    ["received:>2026-12-01", ["github"]],
    ["received:>=2026-12-01", ["github", "stripe"]],
    ["received:<2026-12-01", ["bare"]],
    ["received:2026-11-01..2026-12-01", ["stripe", "bare"]],
    ["ip:203.0.113.9", ["github"]],
    ["ip:198.51.100.0/24", ["stripe"]],
    ["ip:::ffff:198.51.100.7", ["stripe"]],
    ["ip:::ffff:0:0/96", ["github", "stripe"]],
    ["ip:2001:db8::/32", ["bare"]],
    ["ip:2001:DB8:0::42", ["bare"]],
    ["ip:10.0.0.0/8", []],
    ["rejected:true", ["stripe"]],
    ["rejected:false", ["github", "bare"]],
    ["rejected:body_too_large", ["stripe"]],
    ["rejected:body_*", ["stripe"]],
    ["has:rejected", ["stripe"]],
    ["sig:valid", ["github"]],
    ["sig:[invalid,unknown]", ["stripe", "bare"]],
    ["provider:GitHub", ["github"]],
    ["event:invoice.payment_failed", ["stripe"]],
    ["event:invoice", []],
    ["delivery:d-*", ["github"]],
    ["endpoint:ep_2", ["stripe"]],
    ["endpoint:ORDERS", ["github"]],
    ["endpoint:ep_*", ["github", "stripe", "bare"]],
    ["has:provider", ["github", "stripe"]],
    ["has:event", ["github", "stripe"]],
    ["has:delivery", ["github"]],
    ["has:body", ["github", "stripe"]],
    ["has:header.stripe-signature", ["stripe"]],
    ["has:form.email", ["stripe"]],
  ])("%s → %j", (q, expected) => {
    expect(matching(q)).toEqual(expected);
  });
});

describe("evaluate: json", () => {
  it.each<[string, Name[]]>([
    ["json.repository.full_name:ACME/api", ["github"]],
    ["json.repository.full_name:acme/*", ["github"]],
    ["json.repository.full_name:acme", []],
    ["json.amount:1500", ["github"]],
    ["json.amount:1500.0", ["github"]],
    ['json.amount:"1500"', []],
    ["json.code:1000", ["github"]],
    ['json.code:"1000"', ["github"]],
    ["json.code:>999", []],
    ["json.amount:1000..2000", ["github"]],
    ["json.amount:<1000", []],
    ["json.repository.private:false", ["github"]],
    ["json.repository.private:true", []],
    ["json.nothing:null", ["github"]],
    ["has:json.nothing", ["github"]],
    ["has:json.missing", []],
    ["has:json.repository.topics[1]", ["github"]],
    ["has:json.repository.topics[2]", []],
    ["json.repository.topics[]:webhooks", ["github"]],
    ["json.repository.topics[0]:webhooks", []],
    ["json.repository.topics:webhooks", []],
    ["json.commits[].added:>10", ["github"]],
    ["json.commits[1].id:c2", ["github"]],
    ["json.commits[].id:[c9,c1]", ["github"]],
    ["json.repository:*", []],
  ])("%s → %j", (q, expected) => {
    expect(matching(q)).toEqual(expected);
  });
});

describe("evaluate: bare text", () => {
  it.each<[string, Name[]]>([
    ["TIMEOUT", ["stripe"]],
    ['"request timeout"', ["stripe"]],
    ["hooks/github", ["github"]],
    ['"github app"', ["github"]],
    ["a+b", ["github"]],
    ['"c d"', ["github"]],
    ['"x-github-event: push"', ["github"]],
    ["stripe-signature", ["stripe"]],
    ["refs/heads", ["github"]],
    ["invoice.pdf", []],
    ["ops@acme.com", []],
    ["nowhere", []],
  ])("%s → %j", (q, expected) => {
    expect(matching(q)).toEqual(expected);
  });
});

describe("evaluate: boolean structure", () => {
  it.each<[string, Name[]]>([
    ["-provider:stripe", ["github", "bare"]],
    ["NOT has:provider", ["bare"]],
    ["-event:push", ["stripe", "bare"]],
    ["-header.x-github-event:*", ["stripe", "bare"]],
    ["-json.amount:>0", ["stripe", "bare"]],
    ["-query.page:2", ["stripe", "bare"]],
    ["-rejected:true", ["github", "bare"]],
    ["--method:GET", ["bare"]],
    // OR binds looser than the implicit AND: (method:GET status:200) OR provider:stripe
    ["method:GET status:200 OR provider:stripe", ["stripe"]],
    ["method:GET (status:200 OR provider:stripe)", []],
    ["status:200 OR status:404 OR status:503", ["github", "stripe", "bare"]],
    ["-(status:200 OR status:404)", ["stripe"]],
    ["method:POST AND -sig:valid", ["stripe"]],
  ])("%s → %j", (q, expected) => {
    expect(matching(q)).toEqual(expected);
  });
});

describe("glob", () => {
  it.each<[string, string, boolean]>([
    ["a*", "abc", true],
    ["*c", "abc", true],
    ["a*c", "abc", true],
    ["a*c", "ac", true],
    ["a*b*c", "abbbc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    ["ab*ba", "abba", true],
    ["a*bc*c", "abc", false],
    ["a*bc*c", "abcc", true],
    ["*", "", true],
    ["**", "x", true],
    ["a.*", "a.b", true],
    ["a.*", "axb", false],
    ["[x]*", "[x]y", true],
    ["(a|b)*", "a", false],
  ])("%s ~ %s = %s", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it("agrees with a regular-expression reference on random patterns (test-only reference)", () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const word = (alphabet: string, max: number) => Array.from({ length: rand(max) }, () => alphabet[rand(alphabet.length)]).join("");
    for (let i = 0; i < 5000; i++) {
      const pattern = word("ab*.", 7);
      const text = word("ab.", 8);
      const reference = new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`, "s");
      expect(globMatch(pattern, text), `${pattern} ~ ${text}`).toBe(reference.test(text));
      expect(globContains(pattern, text), `${pattern} in ${text}`).toBe(new RegExp(reference.source.slice(1, -1), "s").test(text));
    }
  });

  it("stays fast on patterns that make backtracking matchers blow up", () => {
    const text = "a".repeat(64 * 1024);
    const pattern = `${"a*".repeat(200)}b`;
    const t0 = performance.now();
    expect(globMatch(pattern, text)).toBe(false);
    expect(globContains(`${"a*".repeat(200)}b`, text)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
