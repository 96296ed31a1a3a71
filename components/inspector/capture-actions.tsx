"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { bodyUrl, deleteCaptureRequest, errorMessage } from "./api";
import { useInspector } from "./inspector-context";

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
      {hasBody ? (
        <a href={bodyUrl(captureId)} download={`${captureId}.bin`} className={BUTTON}>
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
