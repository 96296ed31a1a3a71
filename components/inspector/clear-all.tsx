"use client";
// "Clear all" on the endpoint header: a confirmation dialog, then DELETE /api/endpoints/:id/captures
// and an empty list.
import { useParams, useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { clearCapturesRequest, errorMessage } from "./api";
import { Dialog } from "../ui/dialog";
import { BUTTON, DANGER } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { useInspector } from "./inspector-context";

export function ClearAllButton({ endpointId }: { endpointId: string }) {
  const feed = useInspector();
  const router = useRouter();
  const params = useParams<{ captureId?: string }>();
  const [open, setOpen] = useState(false);
  const clearing = useMutation(async () => {
    await clearCapturesRequest(endpointId);
    feed?.clear();
    if (params.captureId) router.push(`/e/${encodeURIComponent(endpointId)}`);
    setOpen(false);
  }, errorMessage);
  const { busy, error, reset } = clearing;
  const close = useCallback(() => {
    setOpen(false);
    reset();
  }, [reset]);
  const confirm = () => void clearing.run();

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
            Every capture of this endpoint is deleted for good{feed?.hasMore ? "" : ` (${count.toLocaleString()})`}. The capture URL and its
            settings stay.
          </p>
        }
      >
        <FormError error={error} className="text-sm text-rose-600 dark:text-rose-400" />
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
