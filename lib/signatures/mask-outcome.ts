import { redactQuery } from "../redaction/mask";
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

function maskUrl(url: string, rules: readonly RedactionRule[]): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  return url.slice(0, q + 1) + redactQuery(url.slice(q + 1), rules).query;
}

export function maskOutcome(r: VerifyOutcome, rules: readonly RedactionRule[]): VerifyOutcome {
  // A plain token scheme sends the secret itself: nothing of it is shown.
  const short = r.secretKind === "token" ? hiddenToken : abbreviate;
  const urlPairs: [string, string][] = [];
  const mu = (u: string) => {
    const m = maskUrl(u, rules);
    if (m !== u) urlPairs.push([u, m]);
    return m;
  };
  const diagnosis = r.diagnosis.map((d): Diagnosis => {
    if (d.detail === undefined) return d;
    const detail = { ...d.detail };
    if (typeof detail.signature === "string") detail.signature = short(detail.signature);
    for (const k of ["signedUrl", "captureUrl"]) if (typeof detail[k] === "string") detail[k] = mu(detail[k] as string);
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
