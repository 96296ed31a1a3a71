"use client";
import { useCallback, useState } from "react";
import { errorMessage } from "../account/api";
import { Dialog } from "./dialog";
import { BUTTON, DANGER, INPUT } from "./classes";
import { FormError } from "./form-message";
import { useMutation } from "./use-mutation";

interface Props {
  /** The button that opens the dialog. */
  label: string;
  /** Accessible name of the opening button when `label` alone is ambiguous in a list. */
  ariaLabel?: string;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<void>;
  buttonClassName?: string;
  /** When set, the confirm button stays disabled until this text is typed. */
  typeToConfirm?: string;
}

/** A destructive action behind a confirmation dialog; the API's refusal is shown inside it. */
export function ConfirmButton({
  label,
  ariaLabel,
  title,
  description,
  confirmLabel,
  onConfirm,
  buttonClassName = BUTTON,
  typeToConfirm,
}: Props) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const confirming = useMutation(async () => {
    await onConfirm();
    setOpen(false);
  }, errorMessage);
  const { busy, error, reset } = confirming;
  const close = useCallback(() => {
    setOpen(false);
    reset();
    setTyped("");
  }, [reset]);
  const confirm = () => void confirming.run();

  const blocked = typeToConfirm !== undefined && typed !== typeToConfirm;
  return (
    <>
      <button type="button" className={buttonClassName} aria-label={ariaLabel} onClick={() => setOpen(true)}>
        {label}
      </button>
      <Dialog open={open} onClose={close} title={title} description={description}>
        {typeToConfirm !== undefined ? (
          <label className="block space-y-1 text-sm">
            <span className="text-zinc-600 dark:text-zinc-400">
              Type <strong className="font-mono">{typeToConfirm}</strong> to confirm
            </span>
            <input
              className={`w-full ${INPUT}`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-autofocus
              autoComplete="off"
            />
          </label>
        ) : null}
        <FormError error={error} />
        <div className="flex justify-end gap-2">
          <button type="button" className={BUTTON} onClick={close} data-autofocus={typeToConfirm === undefined ? true : undefined}>
            Cancel
          </button>
          <button type="button" className={DANGER} disabled={busy || blocked} onClick={confirm}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </Dialog>
    </>
  );
}
