"use client";
// "Clear all" on the endpoint header: a confirmation dialog, then DELETE /api/endpoints/:id/captures
// and an empty list.
import { useParams, useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { clearCapturesRequest, errorMessage } from "./api";
import { Dialog } from "../ui/dialog";
import { BUTTON, DANGER } from "../ui/classes";
import { useInspector } from "./inspector-context";

export function ClearAllButton({ endpointId }: { endpointId: string }) {
  const feed = useInspector();
  const router = useRouter();
  const params = useParams<{ captureId?: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = useCallback(() => {
    setOpen(false);
    setError(null);
  }, []);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await clearCapturesRequest(endpointId);
      feed?.clear();
      if (params.captureId) router.push(`/e/${encodeURIComponent(endpointId)}`);
      setOpen(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const count = feed?.items.length ?? 0;
  return (
    <>
      <button type="button" className={BUTTON} onClick={() => setOpen(true)} disabled={!feed}>
        Clear all
      </button>
      <Dialog
        open={open}
        onClose={close}
        title="Clear all captures?"
        description={
          <p>
            Every capture of this endpoint is deleted for good{feed?.hasMore ? "" : ` (${count.toLocaleString()})`}. The capture URL and
            its settings stay.
          </p>
        }
      >
        {error ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={BUTTON} onClick={close} disabled={busy} data-autofocus>
            Cancel
          </button>
          <button type="button" className={DANGER} onClick={confirm} disabled={busy}>
            {busy ? "Deleting…" : "Delete all captures"}
          </button>
        </div>
      </Dialog>
    </>
  );
}
