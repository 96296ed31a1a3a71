"use client";
// A verification's answer: valid / invalid / stale / unknown, expected vs received values, the timestamp
// against the provider's window and, when the signature fails, the likely cause. Rendered as text.
import { BUTTON } from "../ui/classes";
import type { VerifyAnswer } from "./signature-api";

function secretLine(r: VerifyAnswer): string {
  const s = r.secret;
  if (r.status === "unknown" && r.reasons.some((x) => x.code === "unknown_provider"))
    return "Choose the provider below (or generic HMAC) to verify this request.";
  if (s === null) return r.provider ? `No saved secret for ${r.providerName ?? r.provider}: try or save one below.` : "";
  if (s.source === "one-off") return `Checked with a secret tried once (${s.fingerprint}); it was not saved.`;
  const which = `saved secret “${s.label}” (${s.fingerprint})`;
  if (r.signatureMatches) return `Matches the ${which}${r.secretsTried > 1 ? `, of ${r.secretsTried} saved` : ""}.`;
  return r.secretsTried > 1
    ? `None of the ${r.secretsTried} saved secrets matches; details for the ${which}.`
    : `Does not match the ${which}.`;
}

/** A signed timestamp (seconds) as UTC text, or nothing when out of range. */
function utc(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) || Math.abs(seconds) > 1e11 ? "not a date" : `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function skewWords(skew: number): string {
  const abs = Math.abs(skew);
  const span =
    abs < 120
      ? `${abs} s`
      : abs < 7200
        ? `${Math.round(abs / 60)} min`
        : abs < 172_800
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} days`;
  return skew >= 0 ? `${span} old` : `${span} in the future`;
}

export function Result({
  result: r,
  onReveal,
  revealError,
}: {
  result: VerifyAnswer;
  onReveal: (() => void) | null;
  revealError: string | null;
}) {
  const ts = r.timestamp;
  const failed = !r.valid && r.status !== "unknown";
  const reasons = r.reasons.filter((x) => x.code !== "missing_secret");
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{secretLine(r)}</p>
      {r.expected !== null || r.received.length > 0 ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Signature values">
          {r.expected !== null ? (
            <div className="contents">
              <dt className="text-zinc-500">Expected</dt>
              <dd className="min-w-0 break-all font-mono text-xs leading-5" data-testid="signature-expected">
                {r.expected}
              </dd>
            </div>
          ) : null}
          {r.received.map((v, i) => (
            <div key={i} className="contents">
              <dt className="text-zinc-500">{i === 0 ? (r.received.length > 1 ? `Received (${r.received.length})` : "Received") : ""}</dt>
              <dd className="min-w-0 break-all font-mono text-xs leading-5" data-testid="signature-received">
                {v}
                {r.matchedSignature !== null && v === r.matchedSignature ? (
                  <span className="ml-2 rounded bg-emerald-100 px-1 font-sans text-[11px] text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
                    matches
                  </span>
                ) : null}
              </dd>
            </div>
          ))}
          {r.url ? (
            <div className="contents">
              <dt className="text-zinc-500">Signed URL</dt>
              <dd className="min-w-0 break-all font-mono text-xs leading-5">{r.url}</dd>
            </div>
          ) : null}
          {ts.value !== null ? (
            <div className="contents">
              <dt className="text-zinc-500">Timestamp</dt>
              <dd className="min-w-0 text-xs leading-5" data-testid="signature-timestamp">
                <span className="font-mono">{ts.value}</span>
                <span className="text-zinc-500"> ({utc(ts.value)})</span>
                {ts.skewSeconds !== null ? <> · {skewWords(ts.skewSeconds)} when received</> : null}
                {ts.toleranceSeconds !== null ? (
                  <>
                    {" "}
                    · window {ts.toleranceSeconds} s ·{" "}
                    <span
                      className={
                        ts.withinTolerance ? "text-emerald-700 dark:text-emerald-400" : "font-medium text-amber-700 dark:text-amber-400"
                      }
                    >
                      {ts.withinTolerance ? "inside" : "outside"}
                    </span>
                  </>
                ) : (
                  <> · no replay window for this provider</>
                )}
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {onReveal && (r.expected !== null || r.received.length > 0) && r.secretKind !== "token" ? (
        <p className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
          Signature values are shortened.
          <button
            type="button"
            className={BUTTON}
            onClick={onReveal}
            title="Shows the full values; recorded in the audit log like any reveal"
          >
            Show full values
          </button>
          {revealError ? (
            <span role="alert" className="text-rose-600 dark:text-rose-400">
              {revealError}
            </span>
          ) : null}
        </p>
      ) : null}
      {failed && reasons.length > 0 ? (
        <ul className="space-y-1 text-sm" aria-label="Reasons">
          {reasons.map((x, i) => (
            <li key={i} className="flex gap-2">
              <code className="shrink-0 rounded bg-zinc-100 px-1 text-[11px] dark:bg-zinc-800">{x.code}</code>
              <span>{x.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {r.diagnosis.length > 0 ? (
        <section className="space-y-2" aria-label="Diagnosis">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Likely cause</h4>
          <ul className="space-y-2">
            {r.diagnosis.map((d, i) => (
              <li
                key={i}
                className="rounded-md border border-amber-200 bg-amber-50/60 p-2 text-sm dark:border-amber-900 dark:bg-amber-950/30"
                data-testid="diagnosis"
              >
                <code className="mr-2 rounded bg-amber-100 px-1 text-[11px] font-semibold text-amber-900 dark:bg-amber-900/60 dark:text-amber-200">
                  {d.code}
                </code>
                <span>{d.message}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : failed && r.signatureMatches === false && r.secret !== null ? (
        <p className="text-xs text-zinc-500">
          No variation (re-serialised body, newline, secret encoding, URL, timestamp units, other saved secrets) makes it match: the secret
          is most likely not the one the sender used.
        </p>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------
