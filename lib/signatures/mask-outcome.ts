import { redactPartsOffThread } from "../redaction/regex-pool";
import type { RedactionRule } from "../redaction/rules";
import type { Diagnosis } from "./diagnosis";
import type { VerifyOutcome } from "./evaluate";

// ---------------------------------------------------------------------------------------------------------------
// Masking for callers who did not reveal: signature values shortened, token schemes hidden, URLs' queries masked

/** Enough of a signature to compare by eye; not enough to replay it. */
export function abbreviate(value: string): string {
  if (value.length <= 12) return `${value.slice(0, 3)}…`;
  return `${value.slice(0, 10)}…${value.slice(-4)}`;
}

const hiddenToken = (value: string) => `•••••• (${value.length} characters)`;

const URL_KEYS = ["signedUrl", "captureUrl"] as const;

/** Every URL of the outcome with its query masked, in one masking call (a redaction worker when the regex work is large). */
async function maskedUrls(r: VerifyOutcome, rules: readonly RedactionRule[]): Promise<Map<string, string>> {
  const urls = new Set<string>();
  if (r.url !== null) urls.add(r.url);
  for (const d of r.diagnosis) for (const k of URL_KEYS) if (typeof d.detail?.[k] === "string") urls.add(d.detail[k] as string);
  const withQuery = [...urls].filter((u) => u.includes("?"));
  const masked = await redactPartsOffThread({ headers: [], queries: withQuery.map((u) => u.slice(u.indexOf("?") + 1)) }, rules);
  return new Map(withQuery.map((u, i) => [u, u.slice(0, u.indexOf("?") + 1) + masked.queries[i]!.query]));
}

export async function maskOutcome(r: VerifyOutcome, rules: readonly RedactionRule[]): Promise<VerifyOutcome> {
  // A plain token scheme sends the secret itself: nothing of it is shown.
  const short = r.secretKind === "token" ? hiddenToken : abbreviate;
  const urls = await maskedUrls(r, rules);
  const urlPairs: [string, string][] = [];
  const mu = (u: string) => {
    const m = urls.get(u) ?? u;
    if (m !== u) urlPairs.push([u, m]);
    return m;
  };
  const diagnosis = r.diagnosis.map((d): Diagnosis => {
    if (d.detail === undefined) return d;
    const detail = { ...d.detail };
    if (typeof detail.signature === "string") detail.signature = short(detail.signature);
    for (const k of URL_KEYS) if (typeof detail[k] === "string") detail[k] = mu(detail[k] as string);
    let message = d.message;
    for (const [raw, masked] of urlPairs) message = message.split(raw).join(masked);
    return { ...d, message, detail };
  });
  return {
    ...r,
    expected: r.expected === null ? null : short(r.expected),
    received: r.received.map(short),
    matchedSignature: r.matchedSignature === null ? null : short(r.matchedSignature),
    url: r.url === null ? null : mu(r.url),
    diagnosis,
    revealed: false,
  };
}
