"use client";
// Endpoint settings: name, alias and the response rule (status, headers, body, delay), saved with
// PATCH /api/endpoints/:id; redaction (redaction-settings.tsx); share links (share-links.tsx);
// forwarding (replay/forward-settings.tsx).
// The API validates; its messages are shown as they come. Members and up (the header leaves the
// button out for viewers, and the API refuses them anyway).
import { useCallback, useId, useState } from "react";
import { useSWRConfig } from "swr";
import { issuesOf } from "../api-client";
import { endpointKey, errorMessage, patchEndpoint, type EndpointView } from "../inspector/api";
import { Dialog } from "../ui/dialog";
import { BUTTON, PRIMARY, INPUT, LABEL } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { RedactionSettings } from "./redaction-settings";
import { ShareLinksPanel } from "./share-links";
import { ForwardSettings } from "../replay/forward-settings";

export const MAX_DELAY_MS = 30_000;

interface Draft {
  name: string;
  alias: string;
  status: string;
  headers: [string, string][];
  defaultBody: boolean;
  body: string;
  delayMs: string;
}

function draftOf(e: EndpointView): Draft {
  return {
    name: e.name,
    alias: e.alias ?? "",
    status: String(e.response.status),
    headers: e.response.headers.map(([n, v]) => [n, v]),
    defaultBody: e.response.body === null,
    body: e.response.body ?? "",
    delayMs: String(e.response.delayMs),
  };
}

/** Numbers are checked here only for being numbers; ranges and everything else are the API's call. */
function toPatch(d: Draft): { patch: Parameters<typeof patchEndpoint>[1] } | { error: string } {
  const status = Number(d.status);
  const delayMs = Number(d.delayMs);
  if (d.status.trim() === "" || !Number.isInteger(status)) return { error: "Status must be a whole number (200-599)." };
  if (d.delayMs.trim() === "" || !Number.isInteger(delayMs)) return { error: "Delay must be a whole number of milliseconds (0-30000)." };
  return {
    patch: {
      name: d.name,
      alias: d.alias.trim() === "" ? null : d.alias.trim(),
      response: {
        status,
        headers: d.headers.filter(([n, v]) => n.trim() !== "" || v !== "").map(([n, v]) => [n.trim(), v]),
        body: d.defaultBody ? null : d.body,
        delayMs,
      },
    },
  };
}

const FIELD_LABELS: Record<string, string> = { status: "Status", delayMs: "Delay", body: "Body", headers: "Headers" };

/** The 422's issues, each named the way the form names its field ("Header 2: …"); otherwise the message. */
export function readableSettingsError(err: unknown): string {
  const issues = issuesOf(err);
  if (issues.length === 0) return errorMessage(err);
  return issues
    .map(({ path, message }) => {
      const [top, field, index] = path;
      if (top === "response" && field === "headers" && typeof index === "number") return `Header ${index + 1}: ${message}`;
      if (top === "response" && typeof field === "string") return `${FIELD_LABELS[field] ?? field}: ${message}`;
      if (top === "name" || top === "alias") return `${top === "name" ? "Name" : "Alias"}: ${message}`;
      return path.length > 0 ? `${path.join(".")}: ${message}` : message;
    })
    .join("\n");
}

type Tab = "general" | "redaction" | "sharing" | "forwarding";

const TABS: { id: Tab; label: string }[] = [
  { id: "general", label: "General" },
  { id: "redaction", label: "Redaction" },
  { id: "sharing", label: "Sharing" },
  { id: "forwarding", label: "Forwarding" },
];

export function SettingsButton({ endpoint, initialTab = "general" }: { endpoint: EndpointView; initialTab?: Tab }) {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>(initialTab);
  const close = useCallback(() => setOpen(false), []);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className={BUTTON}
        onClick={() => {
          setTab(initialTab);
          setOpen(true);
        }}
      >
        Settings
      </button>
      <Dialog open={open} onClose={close} title="Endpoint settings" width="w-[min(44rem,calc(100vw-2rem))]">
        <div role="tablist" aria-label="Settings sections" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
          {TABS.map((t) => (
            <button
              key={t.id}
              id={`${id}-${t.id}`}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              aria-controls={`${id}-panel`}
              onClick={() => setTab(t.id)}
              className={`-mb-px border-b-2 px-3 py-1.5 text-xs font-medium ${
                tab === t.id
                  ? "border-indigo-500 text-zinc-900 dark:text-zinc-100"
                  : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"
              }`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${tab}`}>
          {tab === "general" ? (
            <SettingsForm endpoint={endpoint} onDone={close} />
          ) : tab === "redaction" ? (
            <RedactionSettings endpoint={endpoint} />
          ) : tab === "forwarding" ? (
            <ForwardSettings endpointId={endpoint.id} />
          ) : (
            <ShareLinksPanel endpointId={endpoint.id} />
          )}
        </div>
      </Dialog>
    </>
  );
}

function SettingsForm({ endpoint, onDone }: { endpoint: EndpointView; onDone(): void }) {
  const { mutate } = useSWRConfig();
  const [draft, setDraft] = useState<Draft>(() => draftOf(endpoint));
  /** What the form says before sending (a field out of range); a failed save is the mutation's error. */
  const [invalid, setInvalid] = useState<string | null>(null);
  const saving = useMutation(async (patch: Parameters<typeof patchEndpoint>[1]) => {
    const saved = await patchEndpoint(endpoint.id, patch);
    await mutate(endpointKey(endpoint.id), saved, { revalidate: false });
    onDone();
  }, readableSettingsError);
  const { busy } = saving;
  const id = useId();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setHeader = (i: number, part: 0 | 1, value: string) =>
    setDraft((d) => ({
      ...d,
      headers: d.headers.map((h, j) => (j === i ? ((part === 0 ? [value, h[1]] : [h[0], value]) as [string, string]) : h)),
    }));

  function save(ev: React.FormEvent) {
    ev.preventDefault();
    const built = toPatch(draft);
    if ("error" in built) {
      saving.reset();
      setInvalid(built.error);
      return;
    }
    setInvalid(null);
    void saving.run(built.patch);
  }

  return (
    <form onSubmit={save} noValidate className="space-y-4" aria-label="Endpoint settings">
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-name`} className={LABEL}>
            Name
          </label>
          <input
            id={`${id}-name`}
            className={`${INPUT} w-full`}
            value={draft.name}
            onChange={(e) => set("name", e.target.value)}
            maxLength={120}
            data-autofocus
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-alias`} className={LABEL}>
            Alias
          </label>
          <input
            id={`${id}-alias`}
            className={`${INPUT} w-full font-mono`}
            value={draft.alias}
            onChange={(e) => set("alias", e.target.value)}
            placeholder="optional, e.g. stripe-test"
            aria-describedby={`${id}-alias-help`}
            spellCheck={false}
            autoCapitalize="off"
          />
          <p id={`${id}-alias-help`} className="text-[11px] text-zinc-500">
            A second capture path /in/&lt;alias&gt;: 4-64 of a-z, 0-9 and -.
          </p>
        </div>
      </div>

      <fieldset className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Response to senders</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor={`${id}-status`} className={LABEL}>
              Status
            </label>
            <input
              id={`${id}-status`}
              className={`${INPUT} w-full font-mono`}
              inputMode="numeric"
              value={draft.status}
              onChange={(e) => set("status", e.target.value)}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-delay`} className={LABEL}>
              Delay (ms, at most {MAX_DELAY_MS.toLocaleString()})
            </label>
            <input
              id={`${id}-delay`}
              className={`${INPUT} w-full font-mono`}
              inputMode="numeric"
              value={draft.delayMs}
              onChange={(e) => set("delayMs", e.target.value)}
            />
          </div>
        </div>

        <div className="space-y-1">
          <span className={LABEL} id={`${id}-headers`}>
            Headers
          </span>
          <ul aria-labelledby={`${id}-headers`} aria-describedby={`${id}-headers-help`} className="space-y-1.5">
            {draft.headers.map(([name, value], i) => (
              <li key={i} className="flex gap-1.5">
                <input
                  aria-label={`Header ${i + 1} name`}
                  className={`${INPUT} w-2/5 min-w-0 font-mono`}
                  value={name}
                  placeholder="X-Name"
                  spellCheck={false}
                  onChange={(e) => setHeader(i, 0, e.target.value)}
                />
                <input
                  aria-label={`Header ${i + 1} value`}
                  className={`${INPUT} min-w-0 flex-1 font-mono`}
                  value={value}
                  placeholder="value"
                  spellCheck={false}
                  onChange={(e) => setHeader(i, 1, e.target.value)}
                />
                <button
                  type="button"
                  className={BUTTON}
                  aria-label={`Remove header ${i + 1}`}
                  onClick={() => setDraft((d) => ({ ...d, headers: d.headers.filter((_, j) => j !== i) }))}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          {draft.headers.length === 0 ? <p className="text-xs text-zinc-500">No extra headers.</p> : null}
          <p id={`${id}-headers-help`} className="text-[11px] text-zinc-500">
            Capture URLs share the dashboard&apos;s origin unless captures have one of their own (CAPTURE_PORT), so only headers about this
            one response are sent: Content-Type, caching, Retry-After, X-*, CORS without credentials, Location to this origin. Headers that
            act on the whole origin need a capture origin of its own; cookies, framing, NEL, Report-To and X-Hookscope-* are never sent.
          </p>
          <button type="button" className={BUTTON} onClick={() => setDraft((d) => ({ ...d, headers: [...d.headers, ["", ""]] }))}>
            Add header
          </button>
        </div>

        <div className="space-y-1">
          <label htmlFor={`${id}-body`} className={LABEL}>
            Body
          </label>
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" checked={draft.defaultBody} onChange={(e) => set("defaultBody", e.target.checked)} />
            Default body (JSON naming the capture id)
          </label>
          <textarea
            id={`${id}-body`}
            className={`${INPUT} h-28 w-full font-mono text-xs disabled:opacity-50`}
            value={draft.defaultBody ? "" : draft.body}
            disabled={draft.defaultBody}
            placeholder={draft.defaultBody ? '{"ok":true,"captureId":"cap_…"}' : ""}
            onChange={(e) => set("body", e.target.value)}
            spellCheck={false}
          />
        </div>
      </fieldset>

      <FormError
        error={invalid ?? saving.error}
        className="whitespace-pre-line rounded-md bg-rose-50 p-2 text-sm text-rose-700 dark:bg-rose-950/50 dark:text-rose-300"
      />
      <div className="flex justify-end gap-2">
        <button type="button" className={BUTTON} onClick={onDone} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className={PRIMARY} disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
