"use client";
// The replay editor: target URL (saved targets of the endpoint: pick, save, delete), method, the
// header list starting from the capture's exact headers, the body as the original bytes (default,
// byte-exact) or as text, credentials and redirects, and the two ways to send: from the server
// (through its SSRF guard) or from this browser (for localhost and other targets only the user's
// machine can reach). "Diff against original" shows what the edits change before anything is sent.
// The draft and its checks live in use-replay-draft.ts, the fields in replay-fields.tsx.
import { useId, useState } from "react";
import { ApiError, errorMessage, type CaptureView } from "../inspector/api";
import { BUTTON, PRIMARY } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { sendFromBrowser } from "./browser-replay";
import { RequestDiffPanel } from "./diff-view";
import {
  diffRequestRequest,
  recordBrowserAttempt,
  replayRequest,
  type AttemptView,
  type EditedRequestDiff,
  type ReplayEdits,
} from "./replay-api";
import { BodyFieldset, HeadersFieldset, HINT, SendOptions, TargetFields } from "./replay-fields";
import { explainServerError, isLocalTarget } from "./replay-helpers";
import { ResultView, type Result } from "./replay-result";
import { useReplayDraft, type SendKind } from "./use-replay-draft";

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
  const id = useId();
  const draft = useReplayDraft(capture);
  const { trimmedUrl, resolved, followRedirects, includeCredentials, setFormError } = draft;
  const [result, setResult] = useState<Result | null>(null);
  const [requestDiff, setRequestDiff] = useState<EditedRequestDiff | null>(null);
  /** The send path that ran last (the mutation says whether it still runs). */
  const [kind, setKind] = useState<SendKind>("server");
  const sending = useMutation((go: (e: ReplayEdits) => Promise<void>, e: ReplayEdits) => go(e), errorMessage);
  const busy = sending.busy ? kind : null;

  /** Checks the draft, then runs one send path with `busy` set; its failure goes to the form's error. */
  async function send(next: SendKind, go: (e: ReplayEdits) => Promise<void>) {
    setResult(null);
    sending.reset();
    const e = draft.validate(next);
    if (!e) return;
    setKind(next);
    await sending.run(go, e);
  }

  const sendServer = () =>
    send("server", async (e) => {
      try {
        const attempt = await replayRequest(capture.id, { url: trimmedUrl, followRedirects, ...e });
        setResult({ type: "server", attempt, url: attempt.request.url });
        onAttempt(attempt);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        setResult({ type: "refused", ...explainServerError(err.code, err.message, resolved ?? trimmedUrl) });
      }
    });

  const sendBrowser = () =>
    send("browser", async () => {
      if (!resolved || !/^https?:\/\//i.test(resolved)) {
        setFormError("The target must be an absolute http:// or https:// URL.");
        return;
      }
      const list = draft.headerList();
      if ("error" in list) throw new Error(list.error);
      const body = await draft.bodyBytes();
      const outcome = await sendFromBrowser({
        url: resolved,
        method: draft.method.trim().toUpperCase(),
        headers: list,
        body,
        includeCredentials,
        followRedirects,
      });
      let attempt: AttemptView | null = null;
      let recordError: string | null = null;
      try {
        attempt = await recordBrowserAttempt(capture.id, outcome.report);
        onAttempt(attempt);
      } catch (err) {
        recordError = errorMessage(err);
      }
      setResult({ type: "browser", attempt, outcome, recordError, url: resolved });
    });

  // Without a target, the original is compared by its path and query (appendPath means nothing then).
  const diffOriginal = () =>
    send("diff", async (e) =>
      setRequestDiff(await diffRequestRequest(capture.id, trimmedUrl ? { url: trimmedUrl, ...e } : { ...e, appendPath: undefined })),
    );

  const ready = draft.rows !== null;
  const local = resolved ? isLocalTarget(resolved) : false;
  return (
    <form
      aria-label="Replay request"
      noValidate
      className="space-y-4"
      // Enter in a field does not send anything: sending is always an explicit click.
      onSubmit={(ev) => ev.preventDefault()}
    >
      <TargetFields id={id} draft={draft} endpointId={endpointId} />
      <HeadersFieldset draft={draft} />
      <BodyFieldset id={id} draft={draft} />
      <SendOptions draft={draft} />

      <FormError
        error={draft.formError ?? sending.error}
        className="rounded-md bg-rose-50 p-2 text-sm text-rose-700 dark:bg-rose-950/50 dark:text-rose-300"
      />

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

      {result ? <ResultView result={result} method={draft.method.trim().toUpperCase()} /> : null}
      {requestDiff ? <RequestDiffPanel diff={requestDiff} onClose={() => setRequestDiff(null)} /> : null}
    </form>
  );
}
