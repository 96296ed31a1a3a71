"use client";
// A modal dialog on the native <dialog> element: role=dialog and aria-modal for free, focus kept
// inside while open, Escape closes. Focus goes to the element marked data-autofocus (else the
// first focusable one) on open, and back to whatever had it before on close.
import { useEffect, useId, useRef } from "react";

interface Props {
  open: boolean;
  onClose(): void;
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  /** Tailwind width class for the panel. */
  width?: string;
}

export function Dialog({ open, onClose, title, description, children, width = "w-[min(32rem,calc(100vw-2rem))]" }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      const first = dialog.querySelector<HTMLElement>("[data-autofocus]");
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onNativeClose = () => {
      const back = opener.current;
      opener.current = null;
      if (back?.isConnected) back.focus();
      onClose();
    };
    dialog.addEventListener("close", onNativeClose);
    return () => dialog.removeEventListener("close", onNativeClose);
  }, [onClose]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      className={`m-auto max-h-[calc(100dvh-2rem)] ${width} overflow-auto rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100`}
    >
      {open ? (
        <div className="space-y-4 p-5">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {description ? (
            <div id={descId} className="text-sm text-zinc-600 dark:text-zinc-400">
              {description}
            </div>
          ) : null}
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
