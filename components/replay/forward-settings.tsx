"use client";
// The "Forwarding" tab of endpoint settings: one rule per endpoint that sends every new capture on
// to a target (plus the capture's sub-path and query), byte-exact, credentials included, retried
// with exponential backoff (GET/PUT/DELETE /api/endpoints/:id/forward). The server checks the URL
// against its SSRF rules when the rule is saved and again on every delivery.
import { useId, useState } from "react";
import useSWR from "swr";
import { errorMessage, fetchJson } from "../inspector/api";
import { BUTTON, PRIMARY, INPUT as BASE_INPUT, LABEL } from "../ui/classes";
import { FormError, FormStatus } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { deleteForwardRequest, forwardKey, putForwardRequest, type ForwardState } from "./replay-api";

const INPUT = `w-full ${BASE_INPUT}`;
/** lib/replay/forward-rules.ts MAX_FORWARD_ATTEMPTS and FORWARD_BACKOFF.maxAttempts. */
const MAX_ATTEMPTS = 10;
const DEFAULT_ATTEMPTS = 6;
const NOTE = "rounded-md p-2 text-sm";

export function ForwardSettings({ endpointId }: { endpointId: string }) {
  const state = useSWR<ForwardState>(forwardKey(endpointId), fetchJson, { revalidateOnFocus: false });
  if (state.error) {
    return (
      <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
        Could not load the forwarding rule: {errorMessage(state.error)}
      </p>
    );
  }
  if (!state.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  return (
    <ForwardForm
      endpointId={endpointId}
      state={state.data}
      onSaved={(s) => void (s ? state.mutate(s, { revalidate: false }) : state.mutate())}
    />
  );
}

function ForwardForm({ endpointId, state, onSaved }: { endpointId: string; state: ForwardState; onSaved(s?: ForwardState): void }) {
  const id = useId();
  const rule = state.rule;
  const [url, setUrl] = useState(rule?.url ?? "");
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [followRedirects, setFollowRedirects] = useState(rule?.followRedirects ?? false);
  const [maxAttempts, setMaxAttempts] = useState(String(rule?.maxAttempts ?? DEFAULT_ATTEMPTS));
  const [confirming, setConfirming] = useState(false);
  /** What this form says before sending (a field out of range), and after a save. */
  const [invalid, setInvalid] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const saving = useMutation(async (maxAttempts: number) => {
    const saved = await putForwardRequest(endpointId, { url: url.trim(), enabled, followRedirects, maxAttempts });
    setDone(saved.rule?.enabled ? "Saved: new captures are forwarded." : "Saved, paused: nothing is forwarded until you enable it.");
    onSaved(saved);
  }, errorMessage);
  // As before this hook: busy stays on after a removal (the form then shows the empty rule).
  const removal = useMutation(
    async () => {
      await deleteForwardRequest(endpointId);
      setConfirming(false);
      onSaved();
    },
    errorMessage,
    { stayBusy: true },
  );
  const busy = saving.busy || removal.busy;

  /** One message line: whatever starts clears what was said before. */
  function clear() {
    setInvalid(null);
    setDone(null);
    saving.reset();
    removal.reset();
  }

  function save(ev: React.FormEvent) {
    ev.preventDefault();
    const n = Number(maxAttempts);
    clear();
    if (!Number.isInteger(n) || n < 1 || n > MAX_ATTEMPTS) return setInvalid(`Attempts must be a whole number from 1 to ${MAX_ATTEMPTS}.`);
    if (!url.trim()) return setInvalid("Enter the URL to forward to.");
    void saving.run(n);
  }

  function remove() {
    clear();
    void removal.run();
  }

  return (
    <form onSubmit={save} noValidate aria-label="Forwarding" className="space-y-4">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Every new capture is sent on to this URL, with the capture&apos;s sub-path and query appended, byte-exact and with its credentials
        (it is your own rule). Deliveries happen in the background, never slowing the capture door; a failure is retried with growing waits
        (5 s, 15 s, 45 s…). Each try is listed in the capture&apos;s Replay panel as a forward attempt.
      </p>
      <div className="space-y-1">
        <label htmlFor={`${id}-url`} className={LABEL}>
          Forward to
        </label>
        <input
          id={`${id}-url`}
          className={`${INPUT} font-mono`}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://staging.example.com/webhooks"
          spellCheck={false}
          autoCapitalize="off"
          inputMode="url"
          data-autofocus
        />
        <p className="text-[11px] text-zinc-500">
          The server refuses private, loopback and metadata addresses. To reach your own machine, use the relay CLI:{" "}
          <code className="font-mono">npx hookscope listen {endpointId} --to http://localhost:3000/webhooks</code>
        </p>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        <label className="flex items-center gap-2 text-xs">
          <input type="checkbox" checked={followRedirects} onChange={(e) => setFollowRedirects(e.target.checked)} />
          Follow redirects
        </label>
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-attempts`} className="text-xs text-zinc-600 dark:text-zinc-400">
            Max attempts
          </label>
          <input
            id={`${id}-attempts`}
            className="w-16 rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
            inputMode="numeric"
            value={maxAttempts}
            onChange={(e) => setMaxAttempts(e.target.value)}
          />
        </div>
      </div>

      {rule ? (
        <div
          data-testid="forward-status"
          className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md bg-zinc-50 px-3 py-2 text-xs dark:bg-zinc-900"
        >
          <span
            className={
              rule.enabled ? "font-medium text-emerald-700 dark:text-emerald-400" : "font-medium text-amber-700 dark:text-amber-400"
            }
          >
            {rule.enabled ? "Forwarding on" : "Paused"}
          </span>
          <span>{state.jobs.pending} pending</span>
          <span>{state.jobs.delivered} delivered</span>
          <span className={state.jobs.failed ? "text-rose-700 dark:text-rose-400" : undefined}>{state.jobs.failed} failed</span>
          <span className="text-zinc-500">updated {new Date(rule.updatedAt).toLocaleString()}</span>
        </div>
      ) : (
        <p className="text-xs text-zinc-500">No forwarding rule yet.</p>
      )}

      <FormError
        error={invalid ?? saving.error ?? removal.error}
        className={`${NOTE} bg-rose-50 text-rose-700 dark:bg-rose-950/50 dark:text-rose-300`}
      />
      <FormStatus className={`${NOTE} bg-emerald-50 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-300`}>{done}</FormStatus>
      <div className="flex flex-wrap justify-end gap-2">
        {rule ? (
          confirming ? (
            <>
              <button
                type="button"
                className={`${BUTTON} border-rose-400 text-rose-700 dark:text-rose-400`}
                disabled={busy}
                onClick={remove}
              >
                Confirm remove
              </button>
              <button type="button" className={BUTTON} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className={BUTTON} onClick={() => setConfirming(true)} disabled={busy}>
              Remove rule
            </button>
          )
        ) : null}
        <button type="submit" className={PRIMARY} disabled={busy}>
          {busy ? "Saving…" : rule ? "Save" : "Start forwarding"}
        </button>
      </div>
    </form>
  );
}
