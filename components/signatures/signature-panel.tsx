"use client";
// The signature panel of a capture: verifies the stored bytes against the endpoint's saved secrets (or a secret
// tried once, never saved), shows valid / invalid / stale / unknown, expected vs received values, the timestamp
// against the provider's window and, when the signature fails, the likely cause. Members save and delete secrets
// (only a fingerprint is ever shown again); viewers verify and try secrets once. Everything from the capture is
// rendered as text.
import { useEffect, useId, useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import { errorMessage, fetchJson, type CaptureView, type EndpointView } from "../inspector/api";
import { BUTTON, DANGER, PRIMARY, INPUT as BASE_INPUT } from "../ui/classes";
import { useInspector, useInspectorView } from "../inspector/inspector-context";
import {
  deleteSecretRequest,
  PROVIDERS_KEY,
  saveSecretRequest,
  secretsKey,
  verifyCaptureRequest,
  type GenericHmacOptions,
  type ProviderInfo,
  type SecretInfo,
  type VerifyAnswer,
} from "./signature-api";
import { SignatureBadge } from "./signature-chip";

const INPUT = `w-full ${BASE_INPUT}`;
const LABEL = "block space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400";

interface Props {
  capture: CaptureView;
  endpoint: EndpointView | undefined;
}

/** Mounted on the request detail; share links have no signature API, so it shows nothing there. */
export function SignaturePanel(props: Props) {
  const { api } = useInspectorView();
  if (api.kind !== "dashboard") return null;
  return <Panel key={props.capture.id} {...props} />;
}

const ONCE = { revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false } as const;

function Panel({ capture, endpoint }: Props) {
  const endpointId = capture.endpointId;
  const { mutate } = useSWRConfig();
  const feed = useInspector();
  const { data: providers } = useSWR<{ providers: ProviderInfo[] }>(PROVIDERS_KEY, fetchJson, ONCE);
  const secrets = useSWR<{ secrets: SecretInfo[]; canManage: boolean }>(secretsKey(endpointId), fetchJson, { revalidateOnFocus: false });
  // The check against the saved secrets, re-run whenever they change.
  const savedIds = secrets.data?.secrets.map((s) => s.id).join(",") ?? null;
  const saved = useSWR<VerifyAnswer>(
    savedIds === null ? null : ["signature-verify", capture.id, savedIds],
    () => verifyCaptureRequest(capture.id),
    ONCE,
  );
  const [tried, setTried] = useState<VerifyAnswer | null>(null);
  const [revealed, setRevealed] = useState<VerifyAnswer | null>(null);
  const [revealError, setRevealError] = useState<string | null>(null);
  const shown = revealed ?? tried ?? saved.data;
  const canManage = secrets.data?.canManage ?? false;
  const providerList = providers?.providers ?? [];
  const providerName = (id: string | null | undefined) => providerList.find((p) => p.id === id)?.name ?? id ?? "";

  /** After a secret change: this check, the capture's stored status and the list's statuses are stale. */
  async function secretsChanged() {
    setTried(null);
    setRevealed(null);
    await secrets.mutate();
    void mutate(`/api/captures/${encodeURIComponent(capture.id)}`);
    feed?.refresh();
  }

  /** Full signature values for the check against the saved secrets (members; the server audits it as a reveal). */
  async function reveal() {
    setRevealError(null);
    try {
      setRevealed(await verifyCaptureRequest(capture.id, { reveal: true, ...(saved.data?.secret?.id ? { secretId: saved.data.secret.id } : {}) }));
    } catch (err) {
      setRevealError(errorMessage(err));
    }
  }

  const detected = capture.signature;
  const atIngest = endpoint?.redaction.atIngest === true;
  // Most captures of most endpoints are not signed webhooks: without a recognised sender or a
  // saved secret the panel stays one line until asked for.
  const [expanded, setExpanded] = useState(false);
  const quiet = !detected?.provider && secrets.data !== undefined && secrets.data.secrets.length === 0 && tried === null && !expanded;
  if (quiet) {
    return (
      <section aria-label="Signature" className="space-y-2">
        <h3 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">Signature</h3>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800" data-testid="signature-panel">
          <SignatureBadge status="unknown" />
          <span className="text-sm text-zinc-600 dark:text-zinc-400">No known sender recognised.</span>
          <button type="button" className={`${BUTTON} ml-auto`} onClick={() => setExpanded(true)}>
            Verify a signature…
          </button>
        </div>
      </section>
    );
  }
  return (
    <section aria-label="Signature" className="space-y-2">
      <h3 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">Signature</h3>
      <div className="space-y-4 rounded-lg border border-zinc-200 p-3 sm:p-4 dark:border-zinc-800" data-testid="signature-panel">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          {shown ? <SignatureBadge status={shown.status} /> : saved.error ? null : <span className="text-xs text-zinc-500">Checking…</span>}
          <span className="text-sm font-medium">{shown?.providerName ?? detected?.providerName ?? "No known sender recognised"}</span>
          {(shown?.eventType ?? detected?.eventType) ? (
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{shown?.eventType ?? detected?.eventType}</span>
          ) : null}
          {(shown?.deliveryId ?? detected?.deliveryId) ? (
            <span className="min-w-0 truncate font-mono text-xs text-zinc-500" title="Delivery / message id">
              id {shown?.deliveryId ?? detected?.deliveryId}
            </span>
          ) : null}
          {tried ? (
            <button type="button" className={`${BUTTON} ml-auto`} onClick={() => {
                setTried(null);
                setRevealed(null);
              }}>
              Back to saved secrets
            </button>
          ) : null}
        </div>

        {atIngest ? (
          <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200">
            This endpoint redacts at ingest: secrets were masked in the stored headers and body, so they are not the bytes the sender
            signed, and signatures of its captures can no longer be verified.
          </p>
        ) : null}

        {shown?.maskedCapture ? (
          <p role="note" className="rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-xs text-violet-900 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-200">
            Your role cannot reveal masked values, so this checks the capture as you see it, masked: a signature over masked headers or
            body values (signature headers are masked by default) does not verify here. A member of the workspace can verify the stored bytes.
          </p>
        ) : null}

        {saved.error ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            Could not verify: {errorMessage(saved.error)}
          </p>
        ) : null}

        {shown ? <Result result={shown} onReveal={capture.canReveal && !shown.revealed && tried === null ? reveal : null} revealError={revealError} /> : null}

        <TryForm
          captureId={capture.id}
          endpointId={endpointId}
          providers={providerList}
          defaultProvider={shown?.provider ?? detected?.provider ?? ""}
          canManage={canManage}
          role={endpoint?.role}
          onTried={(r) => {
            setRevealed(null);
            setTried(r);
          }}
          onSaved={secretsChanged}
        />

        <SavedSecrets
          endpointId={endpointId}
          secrets={secrets.data?.secrets ?? null}
          error={secrets.error}
          canManage={canManage}
          providerName={providerName}
          matchedId={shown?.secret?.source === "saved" && shown.signatureMatches ? shown.secret.id : null}
          onChanged={secretsChanged}
        />
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------------

function secretLine(r: VerifyAnswer): string {
  const s = r.secret;
  if (r.status === "unknown" && r.reasons.some((x) => x.code === "unknown_provider")) return "Choose the provider below (or generic HMAC) to verify this request.";
  if (s === null) return r.provider ? `No saved secret for ${r.providerName ?? r.provider}: try or save one below.` : "";
  if (s.source === "one-off") return `Checked with a secret tried once (${s.fingerprint}); it was not saved.`;
  const which = `saved secret “${s.label}” (${s.fingerprint})`;
  if (r.signatureMatches) return `Matches the ${which}${r.secretsTried > 1 ? `, of ${r.secretsTried} saved` : ""}.`;
  return r.secretsTried > 1 ? `None of the ${r.secretsTried} saved secrets matches; details for the ${which}.` : `Does not match the ${which}.`;
}

/** A signed timestamp (seconds) as UTC text, or nothing when out of range. */
function utc(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) || Math.abs(seconds) > 1e11 ? "not a date" : `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function skewWords(skew: number): string {
  const abs = Math.abs(skew);
  const span = abs < 120 ? `${abs} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : abs < 172_800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86_400)} days`;
  return skew >= 0 ? `${span} old` : `${span} in the future`;
}

function Result({ result: r, onReveal, revealError }: { result: VerifyAnswer; onReveal: (() => void) | null; revealError: string | null }) {
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
                  <span className="ml-2 rounded bg-emerald-100 px-1 font-sans text-[11px] text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">matches</span>
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
                    <span className={ts.withinTolerance ? "text-emerald-700 dark:text-emerald-400" : "font-medium text-amber-700 dark:text-amber-400"}>
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
          <button type="button" className={BUTTON} onClick={onReveal} title="Shows the full values; recorded in the audit log like any reveal">
            Show full values
          </button>
          {revealError ? <span role="alert" className="text-rose-600 dark:text-rose-400">{revealError}</span> : null}
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
              <li key={i} className="rounded-md border border-amber-200 bg-amber-50/60 p-2 text-sm dark:border-amber-900 dark:bg-amber-950/30" data-testid="diagnosis">
                <code className="mr-2 rounded bg-amber-100 px-1 text-[11px] font-semibold text-amber-900 dark:bg-amber-900/60 dark:text-amber-200">{d.code}</code>
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

const GENERIC_DEFAULT = { algorithm: "sha256", header: "X-Signature", prefix: "", encoding: "hex", template: "{body}", timestampHeader: "" };

function genericOptions(g: typeof GENERIC_DEFAULT): GenericHmacOptions {
  return {
    algorithm: g.algorithm as GenericHmacOptions["algorithm"],
    header: g.header.trim(),
    encoding: g.encoding as GenericHmacOptions["encoding"],
    ...(g.prefix ? { prefix: g.prefix } : {}),
    ...(g.template.trim() ? { template: g.template.trim() } : {}),
    ...(g.timestampHeader.trim() ? { timestampHeader: g.timestampHeader.trim() } : {}),
  };
}

function TryForm({
  captureId,
  endpointId,
  providers,
  defaultProvider,
  canManage,
  role,
  onTried,
  onSaved,
}: {
  captureId: string;
  endpointId: string;
  providers: ProviderInfo[];
  defaultProvider: string;
  canManage: boolean;
  role: string | undefined;
  onTried(r: VerifyAnswer): void;
  onSaved(): Promise<void>;
}) {
  const id = useId();
  const [provider, setProvider] = useState(defaultProvider);
  const [touched, setTouched] = useState(false);
  const [label, setLabel] = useState("");
  const [secret, setSecret] = useState("");
  const [generic, setGeneric] = useState(GENERIC_DEFAULT);
  const [busy, setBusy] = useState<"try" | "save" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  // Follow the detected provider until the user picks one.
  useEffect(() => {
    if (!touched && defaultProvider) setProvider(defaultProvider);
  }, [defaultProvider, touched]);
  const spec = providers.find((p) => p.id === provider);

  async function run(kind: "try" | "save") {
    setError(null);
    setSavedNote(null);
    if (!provider) return setError("Choose the provider.");
    if (secret === "") return setError("Paste the secret.");
    setBusy(kind);
    try {
      const extra = provider === "generic" ? { generic: genericOptions(generic) } : {};
      if (kind === "try") {
        onTried(await verifyCaptureRequest(captureId, { provider, secret, ...extra }));
      } else {
        const saved = await saveSecretRequest(endpointId, { provider, secret, ...(label.trim() ? { label: label.trim() } : {}), ...extra });
        setSecret("");
        setLabel("");
        setSavedNote(`Saved “${saved.label}” (${saved.fingerprint}). The secret itself is not shown again.`);
        await onSaved();
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form
      className="space-y-3 border-t border-zinc-200 pt-3 dark:border-zinc-800"
      aria-label="Try or save a secret"
      onSubmit={(e) => {
        e.preventDefault();
        void run("try");
      }}
    >
      <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Try or save a secret</h4>
      <div className="grid gap-3 sm:grid-cols-[minmax(0,12rem)_minmax(0,10rem)_1fr]">
        <label className={LABEL} htmlFor={`${id}-provider`}>
          <span>Provider</span>
          <select
            id={`${id}-provider`}
            className={INPUT}
            value={provider}
            onChange={(e) => {
              setTouched(true);
              setProvider(e.target.value);
            }}
          >
            <option value="">Choose…</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL} htmlFor={`${id}-label`}>
          <span>Label {canManage ? "(when saving)" : ""}</span>
          <input id={`${id}-label`} className={INPUT} value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Live mode" maxLength={80} disabled={!canManage} />
        </label>
        <label className={LABEL} htmlFor={`${id}-secret`}>
          <span>{spec?.secretLabel ?? "Secret"}</span>
          <input
            id={`${id}-secret`}
            className={`${INPUT} font-mono`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
      </div>
      {spec ? <p className="text-xs text-zinc-500">{spec.summary}</p> : null}
      {provider === "generic" ? <GenericFields value={generic} onChange={setGeneric} /> : null}
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={BUTTON} disabled={busy !== null}>
          {busy === "try" ? "Verifying…" : "Verify once (not saved)"}
        </button>
        {canManage ? (
          <button type="button" className={PRIMARY} disabled={busy !== null} onClick={() => void run("save")}>
            {busy === "save" ? "Saving…" : "Save secret"}
          </button>
        ) : (
          <span className="text-xs text-zinc-500" role="note">
            Your role{role ? ` (${role})` : ""} can verify and try a secret once; saving or deleting secrets needs the member role.
          </span>
        )}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          {error}
        </p>
      ) : null}
      {savedNote ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {savedNote}
        </p>
      ) : null}
    </form>
  );
}

function GenericFields({ value, onChange }: { value: typeof GENERIC_DEFAULT; onChange(v: typeof GENERIC_DEFAULT): void }) {
  const id = useId();
  const set = (k: keyof typeof GENERIC_DEFAULT) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange({ ...value, [k]: e.target.value });
  return (
    <fieldset className="grid gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-3 dark:border-zinc-800">
      <legend className="px-1 text-xs text-zinc-500">Generic HMAC</legend>
      <label className={LABEL} htmlFor={`${id}-alg`}>
        <span>Algorithm</span>
        <select id={`${id}-alg`} className={INPUT} value={value.algorithm} onChange={set("algorithm")}>
          <option value="sha256">HMAC-SHA256</option>
          <option value="sha1">HMAC-SHA1</option>
          <option value="sha512">HMAC-SHA512</option>
        </select>
      </label>
      <label className={LABEL} htmlFor={`${id}-header`}>
        <span>Signature header</span>
        <input id={`${id}-header`} className={INPUT} value={value.header} onChange={set("header")} />
      </label>
      <label className={LABEL} htmlFor={`${id}-enc`}>
        <span>Encoding</span>
        <select id={`${id}-enc`} className={INPUT} value={value.encoding} onChange={set("encoding")}>
          <option value="hex">hex</option>
          <option value="base64">base64</option>
        </select>
      </label>
      <label className={LABEL} htmlFor={`${id}-prefix`}>
        <span>Prefix</span>
        <input id={`${id}-prefix`} className={INPUT} value={value.prefix} onChange={set("prefix")} placeholder="sha256=" />
      </label>
      <label className={LABEL} htmlFor={`${id}-template`}>
        <span>Signed content</span>
        <input id={`${id}-template`} className={`${INPUT} font-mono`} value={value.template} onChange={set("template")} placeholder="{timestamp}.{body}" />
      </label>
      <label className={LABEL} htmlFor={`${id}-ts`}>
        <span>Timestamp header</span>
        <input id={`${id}-ts`} className={INPUT} value={value.timestampHeader} onChange={set("timestampHeader")} placeholder="X-Timestamp" />
      </label>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------------------

function SavedSecrets({
  endpointId,
  secrets,
  error,
  canManage,
  providerName,
  matchedId,
  onChanged,
}: {
  endpointId: string;
  secrets: SecretInfo[] | null;
  error: unknown;
  canManage: boolean;
  providerName(id: string): string;
  matchedId: string | null;
  onChanged(): Promise<void>;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function remove(secretId: string) {
    setBusy(true);
    setFailure(null);
    try {
      await deleteSecretRequest(endpointId, secretId);
      setConfirming(null);
      await onChanged();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Saved secrets" className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Saved secrets</h4>
      {error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          Could not load the saved secrets: {errorMessage(error)}
        </p>
      ) : secrets === null ? (
        <p className="text-xs text-zinc-500">Loading…</p>
      ) : secrets.length === 0 ? (
        <p className="text-xs text-zinc-500">None yet. Saved secrets are encrypted at rest and shown only by their fingerprint.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-900">
          {secrets.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5" data-testid="saved-secret">
              <span className="font-medium">{s.label}</span>
              <span className="text-xs text-zinc-500">{providerName(s.provider)}</span>
              <code className="font-mono text-xs text-zinc-600 dark:text-zinc-400" title="Fingerprint: the secret's kind prefix and the start of its SHA-256">
                {s.fingerprint}
              </code>
              {matchedId === s.id ? (
                <span className="rounded bg-emerald-100 px-1 text-[11px] text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">matched</span>
              ) : null}
              <time className="text-xs text-zinc-500" dateTime={s.createdAt}>
                {new Date(s.createdAt).toLocaleDateString()}
              </time>
              {canManage ? (
                confirming === s.id ? (
                  <span className="ml-auto flex items-center gap-2">
                    <button type="button" className={DANGER} disabled={busy} onClick={() => void remove(s.id)}>
                      Delete “{s.label}”
                    </button>
                    <button type="button" className={BUTTON} onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button type="button" className={`${BUTTON} ml-auto`} onClick={() => setConfirming(s.id)} aria-label={`Delete secret ${s.label}`}>
                    Delete
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {failure ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          {failure}
        </p>
      ) : null}
    </section>
  );
}
