"use client";
// The signature panel of a capture: verifies the stored bytes against the endpoint's saved secrets (or a secret
// tried once, never saved), shows valid / invalid / stale / unknown, expected vs received values, the timestamp
// against the provider's window and, when the signature fails, the likely cause. Members save and delete secrets
// (only a fingerprint is ever shown again); viewers verify and try secrets once. Everything from the capture is
// rendered as text.
import { useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import { errorMessage, fetchJson, type CaptureView, type EndpointView } from "../inspector/api";
import { BUTTON } from "../ui/classes";
import { useInspector, useInspectorView } from "../inspector/inspector-context";
import { PROVIDERS_KEY, secretsKey, verifyCaptureRequest, type ProviderInfo, type SecretInfo, type VerifyAnswer } from "./signature-api";
import { SignatureBadge } from "./signature-chip";
import { SavedSecrets } from "./saved-secrets";
import { Result } from "./signature-result";
import { TryForm } from "./signature-try-form";

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
      setRevealed(
        await verifyCaptureRequest(capture.id, { reveal: true, ...(saved.data?.secret?.id ? { secretId: saved.data.secret.id } : {}) }),
      );
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
        <div
          className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800"
          data-testid="signature-panel"
        >
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
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
              {shown?.eventType ?? detected?.eventType}
            </span>
          ) : null}
          {(shown?.deliveryId ?? detected?.deliveryId) ? (
            <span className="min-w-0 truncate font-mono text-xs text-zinc-500" title="Delivery / message id">
              id {shown?.deliveryId ?? detected?.deliveryId}
            </span>
          ) : null}
          {tried ? (
            <button
              type="button"
              className={`${BUTTON} ml-auto`}
              onClick={() => {
                setTried(null);
                setRevealed(null);
              }}
            >
              Back to saved secrets
            </button>
          ) : null}
        </div>

        {atIngest ? (
          <p
            role="note"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
          >
            This endpoint redacts at ingest: secrets were masked in the stored headers and body, so they are not the bytes the sender
            signed, and signatures of its captures can no longer be verified.
          </p>
        ) : null}

        {shown?.maskedCapture ? (
          <p
            role="note"
            className="rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-xs text-violet-900 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-200"
          >
            Your role cannot reveal masked values, so this checks the capture as you see it, masked: a signature over masked headers or body
            values (signature headers are masked by default) does not verify here. A member of the workspace can verify the stored bytes.
          </p>
        ) : null}

        {saved.error ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            Could not verify: {errorMessage(saved.error)}
          </p>
        ) : null}

        {shown ? (
          <Result
            result={shown}
            onReveal={capture.canReveal && !shown.revealed && tried === null ? reveal : null}
            revealError={revealError}
          />
        ) : null}

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
