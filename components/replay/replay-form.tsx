"use client";
// The replay editor: target URL (saved targets of the endpoint: pick, save, delete), method, the
// header list starting from the capture's exact headers, the body as the original bytes (default,
// byte-exact) or as text, credentials and redirects, and the two ways to send: from the server
// (through its SSRF guard) or from this browser (for localhost and other targets only the user's
// machine can reach). "Diff against original" shows what the edits change before anything is sent.
import { useId, useMemo, useRef, useState } from "react";
import useSWR from "swr";
import { ApiError, errorMessage, fetchBody, fetchJson, type CaptureView } from "../inspector/api";
import { BUTTON, PRIMARY, INPUT as BASE_INPUT, LABEL } from "../ui/classes";
import { formatBytes } from "../inspector/helpers/format";
import { headerNotes } from "../inspector/helpers/masking";
import { decodeUtf8 } from "../inspector/helpers/text-decode";
import { contentEncodings } from "../inspector/helpers/decompress";
import { useInspectorView } from "../inspector/inspector-context";
import { sendFromBrowser } from "./browser-replay";
import { RequestDiffPanel } from "./diff-view";
import { HeaderEditor, type HeaderRow } from "./header-editor";
import {
  diffRequestRequest,
  recordBrowserAttempt,
  replayRequest,
  targetsKey,
  type AttemptView,
  type EditedRequestDiff,
  type HeaderPairs,
  type ReplayEdits,
  type ReplayTargetView,
} from "./replay-api";
import { explainServerError, isLocalTarget, withCapturePath } from "./replay-helpers";
import { ResultView, type Result } from "./replay-result";
import { SavedTargets } from "./saved-targets";

const INPUT = `w-full min-w-0 ${BASE_INPUT} disabled:opacity-60`;
const HINT = "text-[11px] text-zinc-500";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const ONCE = { revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false } as const;
const EMPTY = new Uint8Array(0);

type Busy = "server" | "browser" | "diff" | null;

let nextRowId = 100_000;
const rowsOf = (pairs: HeaderPairs): HeaderRow[] => pairs.map(([name, value], i) => ({ id: i, name, value }));

export function ReplayForm({
  capture,
  endpointId,
  onAttempt,
  onClose,
}: {
  capture: CaptureView;
  endpointId: string;
  onAttempt(attempt: AttemptView): void;
  onClose(): void;
}) {
  const { api } = useInspectorView();
  const id = useId();

  // The capture's exact headers: the masked view already is exact when nothing in the headers is
  // masked; otherwise a member loads the stored values (an audited reveal, shared with the detail's
  // own Reveal through SWR). A role that cannot reveal edits without the masked rows.
  const maskedRows = useMemo(() => headerNotes(capture.masked), [capture.masked]);
  const needsReveal = capture.canReveal && maskedRows.size > 0;
  const exact = useSWR<CaptureView>(needsReveal ? api.capture(capture.id, { reveal: true }) : null, fetchJson, ONCE);
  const unmaskedOnly = useMemo(() => capture.headers.filter((_, i) => !maskedRows.has(i)), [capture.headers, maskedRows]);
  // If the stored values cannot be loaded, the editor still works without the masked rows.
  const baseHeaders: HeaderPairs | null = needsReveal
    ? (exact.data?.headers ?? (exact.error ? unmaskedOnly : null))
    : capture.canReveal
      ? capture.headers
      : unmaskedOnly;
  const [editedRows, setEditedRows] = useState<HeaderRow[] | null>(null);
  const baseRows = useMemo(() => (baseHeaders ? rowsOf(baseHeaders) : null), [baseHeaders]);
  const rows = editedRows ?? baseRows;

  const targets = useSWR<{ targets: ReplayTargetView[] }>(targetsKey(endpointId), fetchJson, { revalidateOnFocus: false });
  const [url, setUrl] = useState("");
  const [appendPath, setAppendPath] = useState(Boolean(capture.path || capture.query));
  const [method, setMethod] = useState(capture.method);
  const [bodyMode, setBodyMode] = useState<"original" | "text">("original");
  const [bodyText, setBodyText] = useState<string | null>(null);
  const [bodyNote, setBodyNote] = useState<string | null>(null);
  const [includeCredentials, setIncludeCredentials] = useState(false);
  const [followRedirects, setFollowRedirects] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [requestDiff, setRequestDiff] = useState<EditedRequestDiff | null>(null);
  const storedBody = useRef<Uint8Array | null>(null);

  const trimmedUrl = url.trim();
  const resolved = trimmedUrl ? (appendPath ? withCapturePath(trimmedUrl, capture) : trimmedUrl) : null;
  const hasPath = Boolean(capture.path || capture.query);
  const encodings = useMemo(() => contentEncodings(capture.headers), [capture.headers]);

  function editRows(change: (rows: HeaderRow[]) => HeaderRow[]) {
    setEditedRows((current) => change(current ?? baseRows ?? []));
  }

  /** The stored body (exact for members; masked for a role that cannot reveal), fetched once. */
  async function loadBody(): Promise<Uint8Array> {
    if (capture.bodySize === 0) return EMPTY;
    if (!storedBody.current) storedBody.current = (await fetchBody(api.body(capture.id, { reveal: capture.canReveal }))).bytes;
    return storedBody.current;
  }

  async function chooseBody(mode: "original" | "text") {
    setBodyMode(mode);
    if (mode !== "text" || bodyText !== null) return;
    try {
      const bytes = await loadBody();
      const decoded = decodeUtf8(bytes);
      setBodyText(decoded.text);
      setBodyNote(
        encodings.length
          ? `The body is stored ${encodings.join(", ")}-encoded: as text it is not readable, and edits would not be compressed again. Remove Content-Encoding if you send plain text.`
          : !decoded.validUtf8
            ? "The body is not valid UTF-8: as text, the invalid bytes become U+FFFD. Keep Original bytes to send it exactly."
            : null,
      );
    } catch (err) {
      setBodyMode("original");
      setFormError(`Could not load the body: ${errorMessage(err)}`);
    }
  }

  function headerList(): HeaderPairs | { error: string } {
    const out: HeaderPairs = [];
    for (const [i, r] of (rows ?? []).entries()) {
      if (r.name.trim() === "") {
        if (r.value !== "") return { error: `Header ${i + 1} has a value but no name.` };
        continue;
      }
      out.push([r.name.trim(), r.value]);
    }
    return out;
  }

  function edits(): ReplayEdits | { error: string } {
    const e: ReplayEdits = { includeCredentials, ...(hasPath && { appendPath }) };
    const m = method.trim().toUpperCase();
    if (!m) return { error: "Give a method." };
    if (m !== capture.method) e.method = m;
    // Untouched headers are left to the server, which sends the stored list exactly.
    if (editedRows !== null || baseHeaders === unmaskedOnly) {
      const list = headerList();
      if ("error" in list) return list;
      e.headers = list;
    }
    if (bodyMode === "text" && bodyText !== null) e.body = bodyText;
    return e;
  }

  function start(kind: Busy): ReplayEdits | null {
    setFormError(null);
    setResult(null);
    if (kind !== "diff" && !trimmedUrl) {
      setFormError("Enter a target URL, e.g. https://staging.example.com/webhooks or http://localhost:3000/webhooks.");
      return null;
    }
    const e = edits();
    if ("error" in e) {
      setFormError(e.error);
      return null;
    }
    setBusy(kind);
    return e;
  }

  async function sendServer() {
    const e = start("server");
    if (!e) return;
    try {
      const attempt = await replayRequest(capture.id, { url: trimmedUrl, followRedirects, ...e });
      setResult({ type: "server", attempt, url: attempt.request.url });
      onAttempt(attempt);
    } catch (err) {
      if (err instanceof ApiError) setResult({ type: "refused", ...explainServerError(err.code, err.message, resolved ?? trimmedUrl) });
      else setFormError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function sendBrowser() {
    const e = start("browser");
    if (!e) return;
    try {
      if (!resolved || !/^https?:\/\//i.test(resolved)) {
        setFormError("The target must be an absolute http:// or https:// URL.");
        return;
      }
      const list = headerList();
      if ("error" in list) throw new Error(list.error);
      const body = bodyMode === "text" && bodyText !== null ? new TextEncoder().encode(bodyText) : await loadBody();
      const outcome = await sendFromBrowser({ url: resolved, method: method.trim().toUpperCase(), headers: list, body, includeCredentials, followRedirects });
      let attempt: AttemptView | null = null;
      let recordError: string | null = null;
      try {
        attempt = await recordBrowserAttempt(capture.id, outcome.report);
        onAttempt(attempt);
      } catch (err) {
        recordError = errorMessage(err);
      }
      setResult({ type: "browser", attempt, outcome, recordError, url: resolved });
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function diffOriginal() {
    const e = start("diff");
    if (!e) return;
    try {
      // Without a target, the original is compared by its path and query (appendPath means nothing then).
      setRequestDiff(await diffRequestRequest(capture.id, trimmedUrl ? { url: trimmedUrl, ...e } : { ...e, appendPath: undefined }));
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  const ready = rows !== null;
  const local = resolved ? isLocalTarget(resolved) : false;
  return (
    <form
      aria-label="Replay request"
      noValidate
      className="space-y-4"
      // Enter in a field does not send anything: sending is always an explicit click.
      onSubmit={(ev) => ev.preventDefault()}
    >
      <div className="space-y-1.5">
        <label htmlFor={`${id}-url`} className={LABEL}>
          Target URL
        </label>
        <SavedTargets
          endpointId={endpointId}
          targets={targets.data?.targets ?? null}
          error={targets.error}
          url={trimmedUrl}
          followRedirects={followRedirects}
          onPick={(t) => {
            setUrl(t.url);
            setFollowRedirects(t.followRedirects);
          }}
          onChanged={() => void targets.mutate()}
        />
        <input
          id={`${id}-url`}
          className={`${INPUT} font-mono`}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://staging.example.com/webhooks or http://localhost:3000/webhooks"
          spellCheck={false}
          autoCapitalize="off"
          inputMode="url"
          data-autofocus
        />
        {hasPath ? (
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" checked={appendPath} onChange={(e) => setAppendPath(e.target.checked)} />
            Append the capture&apos;s path and query (<span className="font-mono">{`${capture.path || "/"}${capture.query ? `?${capture.query}` : ""}`}</span>)
          </label>
        ) : null}
        {resolved && resolved !== trimmedUrl ? (
          <p className={HINT}>
            Sends to <span className="break-all font-mono" data-testid="resolved-url">{resolved}</span>
          </p>
        ) : null}
      </div>

      <div className="flex flex-wrap items-end gap-3">
        <div className="w-36 space-y-1">
          <label htmlFor={`${id}-method`} className={LABEL}>
            Method
          </label>
          <input
            id={`${id}-method`}
            className={`${INPUT} font-mono uppercase`}
            value={method}
            onChange={(e) => setMethod(e.target.value)}
            list={`${id}-methods`}
            spellCheck={false}
            autoCapitalize="characters"
          />
          <datalist id={`${id}-methods`}>
            {METHODS.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </div>
      </div>

      <fieldset className="space-y-2">
        <legend className={`${LABEL} flex w-full items-center gap-2`}>
          <span>Headers{rows ? ` (${rows.length})` : ""}</span>
          {editedRows !== null ? (
            <>
              <span className="rounded bg-indigo-100 px-1.5 py-0.5 text-[10px] text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300">edited</span>
              <button type="button" className={`${BUTTON} ml-auto px-2 py-0.5`} onClick={() => setEditedRows(null)}>
                Reset to captured
              </button>
            </>
          ) : null}
        </legend>
        {needsReveal ? (
          <p className={HINT}>
            {exact.data
              ? "The captured headers with their stored values (loaded as a reveal, recorded in the audit log)."
              : exact.error
                ? null
                : "Loading the stored header values (a reveal, recorded in the audit log)…"}
          </p>
        ) : !capture.canReveal && maskedRows.size > 0 ? (
          <p role="note" className="text-xs text-violet-800 dark:text-violet-300">
            {maskedRows.size} masked header value{maskedRows.size === 1 ? " is" : "s are"} left out: your role cannot reveal them, so masked credentials are
            never sent.
          </p>
        ) : (
          <p className={HINT}>The captured headers in wire order, exactly as they arrived. Untouched, they are sent as stored.</p>
        )}
        {exact.error ? (
          <p role="alert" className="text-xs text-rose-600 dark:text-rose-400">
            Could not load the stored header values ({errorMessage(exact.error)}): the masked headers are left out of this replay.
          </p>
        ) : null}
        {rows ? (
          <HeaderEditor
            rows={rows}
            includeCredentials={includeCredentials}
            onChange={(rid, part, value) => editRows((rs) => rs.map((r) => (r.id === rid ? { ...r, [part]: value } : r)))}
            onAdd={() => editRows((rs) => [...rs, { id: nextRowId++, name: "", value: "" }])}
            onRemove={(rid) => editRows((rs) => rs.filter((r) => r.id !== rid))}
          />
        ) : null}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className={LABEL}>Body</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-body`} checked={bodyMode === "original"} onChange={() => void chooseBody("original")} />
            Original bytes
            <span className="text-zinc-500">
              {/* A masked view's size and sha256 are those of the masked body, not of the stored bytes a replay sends. */}
              {capture.bodySha256 !== null && !capture.masked?.body.length
                ? `(${formatBytes(capture.bodySize)}, byte-exact${capture.bodySize ? `, sha256 ${capture.bodySha256.slice(0, 12)}…` : ""})`
                : "(byte-exact, as stored; shown masked here)"}
            </span>
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-body`} checked={bodyMode === "text"} onChange={() => void chooseBody("text")} />
            Edit as text
          </label>
        </div>
        {bodyMode === "text" ? (
          <>
            {bodyNote ? <p className="text-xs text-amber-700 dark:text-amber-400">{bodyNote}</p> : null}
            <textarea
              aria-label="Body text"
              className={`${INPUT} h-40 font-mono text-xs`}
              value={bodyText ?? ""}
              disabled={bodyText === null}
              placeholder={bodyText === null ? "Loading the body…" : ""}
              onChange={(e) => setBodyText(e.target.value)}
              spellCheck={false}
            />
            <p className={HINT}>Sent as UTF-8; Content-Length is set for the edited body.</p>
          </>
        ) : null}
      </fieldset>

      <div className="space-y-2">
        <label className="flex items-start gap-2 text-xs">
          <input type="checkbox" className="mt-0.5" checked={includeCredentials} onChange={(e) => setIncludeCredentials(e.target.checked)} />
          <span>
            <span className="font-medium">Send credentials (Authorization, Cookie)</span>
            <span className="block text-zinc-500">
              Off: Authorization, Proxy-Authorization and Cookie are left out, so another host never receives the original sender&apos;s credentials.
              Signature headers (Stripe-Signature, X-Hub-Signature-256…) are always sent.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-xs">
          <input type="checkbox" className="mt-0.5" checked={followRedirects} onChange={(e) => setFollowRedirects(e.target.checked)} />
          <span>
            <span className="font-medium">Follow redirects</span>
            <span className="block text-zinc-500">Off: a 3xx answer is recorded as it is. On: up to 3 redirects are followed, each hop checked again.</span>
          </span>
        </label>
      </div>

      {formError ? (
        <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-700 dark:bg-rose-950/50 dark:text-rose-300">
          {formError}
        </p>
      ) : null}

      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={BUTTON} onClick={() => void diffOriginal()} disabled={!ready || busy !== null}>
          {busy === "diff" ? "Comparing…" : "Diff against original"}
        </button>
        <button type="button" className={BUTTON} onClick={onClose} disabled={busy !== null}>
          Close editor
        </button>
        <span className="ml-auto" />
        <button
          type="button"
          className={BUTTON}
          onClick={() => void sendBrowser()}
          disabled={!ready || busy !== null}
          title="Sends from this browser: for http://localhost and other targets only your machine can reach. The target must allow CORS."
        >
          {busy === "browser" ? "Sending…" : "Send from browser"}
        </button>
        <button
          type="button"
          onClick={() => void sendServer()}
          className={PRIMARY}
          disabled={!ready || busy !== null}
          title="Sends from the Hookscope server, byte-exact. Private and loopback targets are refused."
        >
          {busy === "server" ? "Sending…" : "Send from server"}
        </button>
      </div>
      <p className={HINT}>
        {local
          ? "This target is on a local address: the server refuses those (unless the operator allowed them), so Send from browser is the way to reach it."
          : "Send from server goes out through Hookscope's server with the exact bytes. Send from browser reaches targets only your machine can see, within what browsers allow."}
      </p>

      {result ? <ResultView result={result} method={method.trim().toUpperCase()} /> : null}
      {requestDiff ? <RequestDiffPanel diff={requestDiff} onClose={() => setRequestDiff(null)} /> : null}
    </form>
  );
}
