"use client";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import useSWR from "swr";
import {
  bodyUrl,
  captureKey,
  deleteCaptureRequest,
  endpointKey,
  errorMessage,
  fetchBytes,
  fetchJson,
  type CaptureDetail,
  type EndpointView,
} from "./api";
import { CopyButton } from "./copy-button";
import { fullCaptureUrl } from "./helpers/format";
import { bodyFileName, copyAs, needsBodyFile, type CopyAsFormat, type CopyAsRequest } from "./helpers/copy-as";
import { useInspector } from "./inspector-context";

const FORMATS: { id: CopyAsFormat; label: string }[] = [
  { id: "curl", label: "curl" },
  { id: "fetch", label: "fetch" },
  { id: "httpie", label: "HTTPie" },
];
const EMPTY = new Uint8Array();

/**
 * Copy as curl / fetch / HTTPie. Reads the capture, its body and the endpoint from the SWR cache
 * the detail view already filled (same keys, so no extra requests).
 */
function CopyAsButtons({ endpointId, captureId }: { endpointId: string; captureId: string }) {
  const { data: capture } = useSWR<CaptureDetail>(captureKey(captureId), fetchJson, { revalidateOnFocus: false });
  const { data: endpoint } = useSWR<EndpointView>(endpointKey(endpointId), fetchJson);
  const { data: body } = useSWR(capture && capture.bodySize > 0 ? bodyUrl(captureId) : null, fetchBytes, {
    revalidateOnFocus: false,
    revalidateIfStale: false,
  });
  const request = useMemo<CopyAsRequest | null>(() => {
    if (!capture || !endpoint) return null;
    if (capture.bodySize > 0 && !body) return null;
    return {
      id: capture.id,
      method: capture.method,
      url: fullCaptureUrl(endpoint.url, capture.path, capture.query),
      headers: capture.headers,
      body: body ?? EMPTY,
    };
  }, [capture, endpoint, body]);
  const [shown, setShown] = useState<CopyAsFormat | null>(null);
  const texts = useMemo(
    () => (request ? { curl: copyAs("curl", request), fetch: copyAs("fetch", request), httpie: copyAs("httpie", request) } : null),
    [request],
  );

  if (!request || !texts) {
    return <span className="text-xs text-zinc-500">Preparing copy as…</span>;
  }
  const fileNote = needsBodyFile(request);
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
      {fileNote ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The body is binary (or not inlinable text), so curl and HTTPie read it from <code className="font-mono">{bodyFileName(request.id)}</code>:
          download the raw body next to the command first.
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
          <pre role="tabpanel" aria-label={`${shown} command`} className="max-h-80 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-900">
            {texts[shown]}
          </pre>
        </div>
      ) : null}
    </div>
  );
}

const BUTTON = "rounded-md border border-zinc-300 px-3 py-1.5 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** Download the exact bytes; delete with an inline confirmation. */
export function CaptureActions({ endpointId, captureId, hasBody }: { endpointId: string; captureId: string; hasBody: boolean }) {
  const router = useRouter();
  const feed = useInspector();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await deleteCaptureRequest(captureId);
      feed?.remove(captureId);
      router.push(`/e/${encodeURIComponent(endpointId)}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <CopyAsButtons endpointId={endpointId} captureId={captureId} />
      {hasBody ? (
        <a href={bodyUrl(captureId)} download={bodyFileName(captureId)} className={BUTTON}>
          Download raw body
        </a>
      ) : null}
      {confirming ? (
        <>
          <button type="button" onClick={remove} disabled={busy} className={`${BUTTON} border-rose-400 text-rose-700 dark:text-rose-400`}>
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
      )}
      {error ? (
        <span role="alert" className="text-xs text-rose-600 dark:text-rose-400">
          {error}
        </span>
      ) : null}
    </div>
  );
}
