"use client";
// The replay editor's fields, each drawn from the draft (use-replay-draft.ts): target URL with the
// saved targets, method, headers, body, and the credentials / redirects switches. Captured values
// are rendered as text.
import useSWR from "swr";
import { errorMessage, fetchJson } from "../inspector/api";
import { formatBytes } from "../inspector/format";
import { BUTTON, INPUT as BASE_INPUT, LABEL } from "../ui/classes";
import { HeaderEditor } from "./header-editor";
import { targetsKey, type ReplayTargetView } from "./replay-api";
import { SavedTargets } from "./saved-targets";
import type { ReplayDraft } from "./use-replay-draft";

export const INPUT = `w-full min-w-0 ${BASE_INPUT} disabled:opacity-60`;
export const HINT = "text-[11px] text-zinc-500";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

export function TargetFields({ id, draft, endpointId }: { id: string; draft: ReplayDraft; endpointId: string }) {
  const { capture, trimmedUrl, resolved } = draft;
  const targets = useSWR<{ targets: ReplayTargetView[] }>(targetsKey(endpointId), fetchJson, { revalidateOnFocus: false });
  return (
    <>
      <div className="space-y-1.5">
        <label htmlFor={`${id}-url`} className={LABEL}>
          Target URL
        </label>
        <SavedTargets
          endpointId={endpointId}
          targets={targets.data?.targets ?? null}
          error={targets.error}
          url={trimmedUrl}
          followRedirects={draft.followRedirects}
          onPick={(t) => {
            draft.setUrl(t.url);
            draft.setFollowRedirects(t.followRedirects);
          }}
          onChanged={() => void targets.mutate()}
        />
        <input
          id={`${id}-url`}
          className={`${INPUT} font-mono`}
          value={draft.url}
          onChange={(e) => draft.setUrl(e.target.value)}
          placeholder="https://staging.example.com/webhooks or http://localhost:3000/webhooks"
          spellCheck={false}
          autoCapitalize="off"
          inputMode="url"
          data-autofocus
        />
        {draft.hasPath ? (
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" checked={draft.appendPath} onChange={(e) => draft.setAppendPath(e.target.checked)} />
            Append the capture&apos;s path and query (
            <span className="font-mono">{`${capture.path || "/"}${capture.query ? `?${capture.query}` : ""}`}</span>)
          </label>
        ) : null}
        {resolved && resolved !== trimmedUrl ? (
          <p className={HINT}>
            Sends to{" "}
            <span className="break-all font-mono" data-testid="resolved-url">
              {resolved}
            </span>
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
            value={draft.method}
            onChange={(e) => draft.setMethod(e.target.value)}
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
    </>
  );
}

export function HeadersFieldset({ draft }: { draft: ReplayDraft }) {
  const { rows, capture, maskedRows, exact } = draft;
  return (
    <fieldset className="space-y-2">
      <legend className={`${LABEL} flex w-full items-center gap-2`}>
        <span>Headers{rows ? ` (${rows.length})` : ""}</span>
        {draft.edited ? (
          <>
            <span className="rounded bg-indigo-100 px-1.5 py-0.5 text-[10px] text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300">
              edited
            </span>
            <button type="button" className={`${BUTTON} ml-auto px-2 py-0.5`} onClick={draft.headerRows.reset}>
              Reset to captured
            </button>
          </>
        ) : null}
      </legend>
      {draft.needsReveal ? (
        <p className={HINT}>
          {exact.data
            ? "The captured headers with their stored values (loaded as a reveal, recorded in the audit log)."
            : exact.error
              ? null
              : "Loading the stored header values (a reveal, recorded in the audit log)…"}
        </p>
      ) : !capture.canReveal && maskedRows.size > 0 ? (
        <p role="note" className="text-xs text-violet-800 dark:text-violet-300">
          {maskedRows.size} masked header value{maskedRows.size === 1 ? " is" : "s are"} left out: your role cannot reveal them, so masked
          credentials are never sent.
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
          includeCredentials={draft.includeCredentials}
          onChange={draft.headerRows.change}
          onAdd={draft.headerRows.add}
          onRemove={draft.headerRows.remove}
        />
      ) : null}
    </fieldset>
  );
}

export function BodyFieldset({ id, draft }: { id: string; draft: ReplayDraft }) {
  const { capture, bodyMode, bodyText } = draft;
  return (
    <fieldset className="space-y-2">
      <legend className={LABEL}>Body</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-body`} checked={bodyMode === "original"} onChange={() => void draft.chooseBody("original")} />
          Original bytes
          <span className="text-zinc-500">
            {/* A masked view's size and sha256 are those of the masked body, not of the stored bytes a replay sends. */}
            {capture.bodySha256 !== null && !capture.masked?.body.length
              ? `(${formatBytes(capture.bodySize)}, byte-exact${capture.bodySize ? `, sha256 ${capture.bodySha256.slice(0, 12)}…` : ""})`
              : "(byte-exact, as stored; shown masked here)"}
          </span>
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-body`} checked={bodyMode === "text"} onChange={() => void draft.chooseBody("text")} />
          Edit as text
        </label>
      </div>
      {bodyMode === "text" ? (
        <>
          {draft.bodyNote ? <p className="text-xs text-amber-700 dark:text-amber-400">{draft.bodyNote}</p> : null}
          <textarea
            aria-label="Body text"
            className={`${INPUT} h-40 font-mono text-xs`}
            value={bodyText ?? ""}
            disabled={bodyText === null}
            placeholder={bodyText === null ? "Loading the body…" : ""}
            onChange={(e) => draft.setBodyText(e.target.value)}
            spellCheck={false}
          />
          <p className={HINT}>Sent as UTF-8; Content-Length is set for the edited body.</p>
        </>
      ) : null}
    </fieldset>
  );
}

export function SendOptions({ draft }: { draft: ReplayDraft }) {
  return (
    <div className="space-y-2">
      <label className="flex items-start gap-2 text-xs">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={draft.includeCredentials}
          onChange={(e) => draft.setIncludeCredentials(e.target.checked)}
        />
        <span>
          <span className="font-medium">Send credentials (Authorization, Cookie)</span>
          <span className="block text-zinc-500">
            Off: Authorization, Proxy-Authorization and Cookie are left out, so another host never receives the original sender&apos;s
            credentials. Signature headers (Stripe-Signature, X-Hub-Signature-256…) are always sent.
          </span>
        </span>
      </label>
      <label className="flex items-start gap-2 text-xs">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={draft.followRedirects}
          onChange={(e) => draft.setFollowRedirects(e.target.checked)}
        />
        <span>
          <span className="font-medium">Follow redirects</span>
          <span className="block text-zinc-500">
            Off: a 3xx answer is recorded as it is. On: up to 3 redirects are followed, each hop checked again.
          </span>
        </span>
      </label>
    </div>
  );
}
