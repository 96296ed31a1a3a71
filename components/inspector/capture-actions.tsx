"use client";
import { useMemo, useState } from "react";
import { deleteCaptureRequest, errorMessage, type CaptureView, type EndpointView, type ServedBody } from "./api";
import { CopyButton } from "../ui/copy-button";
import { fullCaptureUrl } from "./format";
import { bodyFileName, copyAs, needsBodyFile, type CopyAsFormat, type CopyAsRequest } from "../../lib/export/copy-as";
import { headersForCopy } from "./masking";
import { useInspector, useInspectorView } from "./inspector-context";
import { canManage } from "./role";
import { ShareCaptureButton } from "../endpoint-settings/share-links";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";

const FORMATS: { id: CopyAsFormat; label: string }[] = [
  { id: "curl", label: "curl" },
  { id: "fetch", label: "fetch" },
  { id: "httpie", label: "HTTPie" },
];
const EMPTY = new Uint8Array();

/** Copy as curl / fetch / HTTPie, from what the detail shows (masked unless revealed). */
function CopyAsButtons({
  capture,
  body,
  endpoint,
  revealed,
}: {
  capture: CaptureView;
  body: ServedBody | undefined;
  endpoint: EndpointView | undefined;
  revealed: boolean;
}) {
  const { api } = useInspectorView();
  const request = useMemo<CopyAsRequest | null>(() => {
    if (api.kind === "dashboard" && !endpoint) return null;
    if (capture.bodySize > 0 && !body) return null;
    return {
      id: capture.id,
      method: capture.method,
      url: endpoint ? fullCaptureUrl(endpoint.url, capture.path, capture.query) : shareTarget(capture),
      headers: revealed ? capture.headers : headersForCopy(capture.headers, capture.masked, Boolean(body?.decoded)),
      body: body?.bytes ?? EMPTY,
      ...(body?.fileName ? { bodyFile: body.fileName } : {}),
    };
  }, [api.kind, capture, endpoint, body, revealed]);
  const [shown, setShown] = useState<CopyAsFormat | null>(null);
  const texts = useMemo(
    () => (request ? { curl: copyAs("curl", request), fetch: copyAs("fetch", request), httpie: copyAs("httpie", request) } : null),
    [request],
  );

  if (!request || !texts) {
    return <span className="text-xs text-zinc-500">Preparing copy as…</span>;
  }
  const fileNote = needsBodyFile(request);
  const masked =
    !revealed &&
    (Boolean(capture.masked && (capture.masked.headers.length || capture.masked.query.length || capture.masked.body.length)) ||
      body?.masked);
  return (
    <div className="w-full space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-zinc-500">Copy as</span>
        {FORMATS.map((f) => (
          <CopyButton key={f.id} text={texts[f.id]} label={`Copy as ${f.label}`} className="px-3 py-1.5" />
        ))}
        <button type="button" className={BUTTON} aria-expanded={shown !== null} onClick={() => setShown(shown ? null : "curl")}>
          {shown ? "Hide command" : "Show command"}
        </button>
      </div>
      {masked ? (
        <p className="text-xs text-violet-800 dark:text-violet-300">
          Copy as uses what is shown: masked values are copied as <code className="font-mono">[REDACTED]</code>
          {api.kind === "share" ? "." : capture.canReveal ? "; reveal first to copy the stored values." : "."}
        </p>
      ) : null}
      {!revealed && body?.decoded ? (
        <p className="text-xs text-zinc-500">
          The body was decoded for masking, so the command sends it uncompressed (without Content-Encoding).
        </p>
      ) : null}
      {fileNote ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The body is binary (or not inlinable text), so curl and HTTPie read it from{" "}
          <code className="font-mono">{request.bodyFile ?? bodyFileName(request.id)}</code>: download the body next to the command first.
        </p>
      ) : null}
      {shown ? (
        <div className="space-y-1">
          <div role="tablist" aria-label="Command format" className="inline-flex gap-1">
            {FORMATS.map((f) => (
              <button
                key={f.id}
                type="button"
                role="tab"
                aria-selected={shown === f.id}
                onClick={() => setShown(f.id)}
                className={`rounded px-2 py-0.5 text-xs ${shown === f.id ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 dark:text-zinc-400"}`}
              >
                {f.label}
              </button>
            ))}
          </div>
          <pre
            role="tabpanel"
            aria-label={`${shown} command`}
            className="max-h-80 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-900"
          >
            {texts[shown]}
          </pre>
        </div>
      ) : null}
    </div>
  );
}

/** A share link does not show the capture URL (it would let anyone send captures): a placeholder host. */
function shareTarget(capture: CaptureView): string {
  return `https://example.invalid${capture.path || "/"}${capture.query ? `?${capture.query.replace(/^\?/, "")}` : ""}`;
}

const BUTTON =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

function downloadLabel(body: ServedBody | undefined, revealed: boolean): string {
  if (revealed || !body) return "Download raw body";
  if (body.masked) return "Download masked body";
  if (body.decoded) return "Download decoded body";
  return "Download raw body";
}

/** Copy as, download (an audited export: masked unless revealed), share, delete (members). */
export function CaptureActions({
  endpointId,
  capture,
  body,
  endpoint,
  revealed,
}: {
  endpointId: string;
  capture: CaptureView;
  body: ServedBody | undefined;
  endpoint: EndpointView | undefined;
  revealed: boolean;
}) {
  const { api, go } = useInspectorView();
  const feed = useInspector();
  const [confirming, setConfirming] = useState(false);
  const manage = api.kind === "dashboard" && endpoint !== undefined && canManage(endpoint.role);
  const hasBody = capture.bodySize > 0;

  // Busy stays on after the delete: the view moves to the list.
  const deletion = useMutation(
    async () => {
      await deleteCaptureRequest(capture.id);
      feed?.remove(capture.id);
      go(api.listHref);
    },
    errorMessage,
    { stayBusy: true },
  );
  const { busy } = deletion;

  return (
    <div className="flex flex-wrap items-center gap-2">
      <CopyAsButtons capture={capture} body={body} endpoint={endpoint} revealed={revealed} />
      {hasBody && !body?.withheld ? (
        <a
          href={api.body(capture.id, { download: true, reveal: revealed })}
          download={body?.fileName ?? bodyFileName(capture.id)}
          className={BUTTON}
          title={
            api.kind === "share"
              ? "The body as shown here, masked."
              : `An export, recorded in the audit log${revealed ? ": the exact stored bytes." : ", masked (reveal first for the stored bytes)."}`
          }
        >
          {downloadLabel(body, revealed)}
        </a>
      ) : null}
      {manage ? <ShareCaptureButton endpointId={endpointId} captureId={capture.id} /> : null}
      {manage ? (
        confirming ? (
          <>
            <button
              type="button"
              onClick={() => void deletion.run()}
              disabled={busy}
              className={`${BUTTON} border-rose-400 text-rose-700 dark:text-rose-400`}
            >
              {busy ? "Deleting…" : "Confirm delete"}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy} className={BUTTON}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} className={BUTTON}>
            Delete capture
          </button>
        )
      ) : null}
      <FormError error={deletion.error} className="text-xs text-rose-600 dark:text-rose-400" />
    </div>
  );
}
