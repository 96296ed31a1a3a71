"use client";
// One capture: overview, headers in wire order, query parameters and the body through lenses.
// Every captured field is rendered as React text; nothing captured becomes markup. Values come
// masked by the server's redaction rules (marked "masked"); a member can reveal them, which the
// server records in the audit log; viewers and share links never can.
import { useState } from "react";
import useSWR from "swr";
import { errorMessage, fetchBody, fetchJson, type CaptureView, type EndpointView, type InspectorApi, type ServedBody } from "./api";
import { BodyViewer } from "./body-viewer";
import { CaptureActions } from "./capture-actions";
import { CaptureOverview } from "./capture-overview";
import { DataTable, MaskedBadge } from "../ui/data-table";
import { BUTTON } from "../ui/classes";
import { pathWithQuery } from "./format";
import { bodyMaskLabel, headerNotes, maskedCount, queryNotes } from "./masking";
import { parseQueryIndexed } from "../../lib/body/query-params";
import { useInspectorView } from "./inspector-context";
import { MethodBadge } from "../ui/method-badge";
import { SignaturePanel } from "../signatures/signature-panel";
import { ReplayPanel } from "../replay/replay-panel";

function Section({ title, children, aside }: { title: React.ReactNode; children: React.ReactNode; aside?: React.ReactNode }) {
  const label = typeof title === "string" ? title : undefined;
  return (
    <section aria-label={label} className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

const ONCE = { revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false } as const;

/**
 * The capture and its body, masked; once revealed, also the stored values (each reveal request is
 * audited by the server, so revealed data is fetched once and kept).
 */
function useCapture(api: InspectorApi, captureId: string, revealed: boolean) {
  const masked = useSWR<CaptureView>(api.capture(captureId), fetchJson, { revalidateOnFocus: false });
  const open = useSWR<CaptureView>(revealed ? api.capture(captureId, { reveal: true }) : null, fetchJson, ONCE);
  const hasBody = (masked.data?.bodySize ?? 0) > 0;
  const maskedBody = useSWR<ServedBody>(hasBody ? api.body(captureId) : null, fetchBody, ONCE);
  const openBody = useSWR<ServedBody>(hasBody && revealed ? api.body(captureId, { reveal: true }) : null, fetchBody, ONCE);
  const showingRevealed = revealed && open.data !== undefined && (!hasBody || openBody.data !== undefined);
  return {
    capture: showingRevealed ? open.data! : masked.data,
    maskedCapture: masked.data,
    error: masked.error as unknown,
    revealError: (open.error ?? openBody.error) as unknown,
    revealing: revealed && !showingRevealed && !open.error && !openBody.error,
    body: showingRevealed ? openBody.data : maskedBody.data,
    bodyError: maskedBody.error as unknown,
    revealed: showingRevealed,
  };
}

export function CaptureDetailView({ captureId }: { endpointId?: string; captureId: string }) {
  const { api } = useInspectorView();
  // Revealing is per capture: moving to another capture shows it masked again.
  const [revealedId, setRevealedId] = useState<string | null>(null);
  const state = useCapture(api, captureId, revealedId === captureId);
  const { data: endpoint } = useSWR<EndpointView>(api.endpoint, fetchJson);
  const { capture, body } = state;

  if (state.error) {
    return (
      <p role="alert" className="p-6 text-sm text-rose-600 dark:text-rose-400">
        Could not load this capture: {errorMessage(state.error)}
      </p>
    );
  }
  if (!capture) return <p className="p-6 text-sm text-zinc-500">Loading capture…</p>;

  const masks = state.revealed ? null : capture.masked;
  const headerMasks = headerNotes(masks);
  const queryMasks = queryNotes(masks);
  const query = parseQueryIndexed(capture.query);
  const bodyMasks = masks?.body ?? [];
  const bodyMasked = !state.revealed && (bodyMasks.length > 0 || body?.masked === true);
  return (
    <article className="space-y-6 p-4 lg:p-6">
      <header className="space-y-3">
        <h2 className="flex min-w-0 items-center gap-2 text-lg font-semibold">
          <MethodBadge method={capture.method} />
          <span className="min-w-0 break-all font-mono text-base">{pathWithQuery(capture.path, capture.query)}</span>
        </h2>
        <RevealBar
          api={api}
          capture={state.maskedCapture ?? capture}
          body={body}
          revealed={state.revealed}
          revealing={state.revealing}
          error={state.revealError}
          role={endpoint?.role}
          onReveal={() => setRevealedId(captureId)}
          onHide={() => setRevealedId(null)}
        />
        <CaptureActions endpointId={capture.endpointId} capture={capture} body={body} endpoint={endpoint} revealed={state.revealed} />
      </header>
      <Section title="Overview">
        <CaptureOverview capture={capture} endpointUrl={endpoint?.url} />
      </Section>
      <SignaturePanel capture={state.maskedCapture ?? capture} endpoint={endpoint} />
      <ReplayPanel capture={state.maskedCapture ?? capture} endpoint={endpoint} />
      <Section title={`Headers (${capture.headers.length})`}>
        <DataTable
          label="Headers"
          rows={capture.headers.map(([name, value], i) => ({ name, value, masked: headerMasks.get(i) }))}
          empty="No headers."
        />
      </Section>
      <Section title={`Query parameters (${query.length})`}>
        <DataTable
          label="Query parameters"
          rows={query.map((p) => ({
            name: p.name,
            value: p.value,
            note: p.malformed ? "bad escape, shown raw" : undefined,
            masked: queryMasks.get(p.index),
          }))}
          empty="No query string."
        />
      </Section>
      <section aria-label="Body" className="space-y-2">
        <div className="flex items-center justify-between gap-2">
          <h3 className="flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-zinc-500">
            Body
            {bodyMasked ? <MaskedBadge className="normal-case tracking-normal" title="Values in this body are masked" /> : null}
          </h3>
          {capture.contentType ? <span className="truncate font-mono text-xs text-zinc-500">{capture.contentType}</span> : null}
        </div>
        {bodyMasks.length > 0 ? (
          <p role="note" className="text-xs text-violet-800 dark:text-violet-300">
            Masked in the body: {bodyMasks.map(bodyMaskLabel).join(", ")}.
          </p>
        ) : null}
        {capture.bodySize === 0 ? (
          <p className="text-sm text-zinc-500">No body.</p>
        ) : state.bodyError ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            Could not load the body: {errorMessage(state.bodyError)}
          </p>
        ) : body?.withheld ? (
          <WithheldBody reason={body.withheld} canReveal={capture.canReveal} share={api.kind === "share"} />
        ) : body ? (
          <BodyViewer
            key={`${capture.id}:${state.revealed ? "stored" : "masked"}`}
            bytes={body.bytes}
            contentType={capture.contentType}
            headers={capture.headers}
            serverDecoded={body.decoded}
            // A masked view does not say how big the stored (compressed) bytes are.
            storedSize={state.revealed ? capture.bodySize : undefined}
            masked={state.revealed ? undefined : bodyMasks}
            decodeUrl={api.body(capture.id, { reveal: state.revealed, decode: true })}
          />
        ) : (
          <p className="text-sm text-zinc-500">Loading body…</p>
        )}
      </section>
    </article>
  );
}

/** A compressed body the server could not decode: masking cannot see inside, so it is not shown. */
function WithheldBody({ reason, canReveal, share }: { reason: string; canReveal: boolean; share: boolean }) {
  return (
    <div
      role="note"
      className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
    >
      <p className="font-medium">Body withheld from the masked view</p>
      <p className="text-xs">
        It is stored compressed and could not be decoded ({reason}), so its values could not be checked for secrets. Rather than pass them
        through inside the compressed bytes, the masked view shows nothing.{" "}
        {share ? "Shared links never show it." : canReveal ? "Reveal shows the stored bytes." : "A member of the workspace can reveal it."}
      </p>
    </div>
  );
}

/**
 * Says what is masked and, for members, offers to reveal it (audited); viewers and share links are
 * told why they cannot.
 */
function RevealBar({
  api,
  capture,
  body,
  revealed,
  revealing,
  error,
  role,
  onReveal,
  onHide,
}: {
  api: InspectorApi;
  capture: CaptureView;
  body: ServedBody | undefined;
  revealed: boolean;
  revealing: boolean;
  error: unknown;
  role: EndpointView["role"] | undefined;
  onReveal(): void;
  onHide(): void;
}) {
  const count = maskedCount(capture.masked);
  const bodyDiffers = Boolean(body && (body.masked || body.decoded || body.withheld));
  if (!revealed && count === 0 && !bodyDiffers) return null;
  const auditNote = "Reveal loads the stored values. Each reveal is recorded in the workspace audit log.";
  if (revealed) {
    return (
      <div
        role="status"
        className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
      >
        <span>Showing the stored values, unmasked. This reveal was recorded in the audit log.</span>
        <button type="button" className={`${BUTTON} ml-auto`} onClick={onHide}>
          Mask again
        </button>
      </div>
    );
  }
  const what = count > 0 ? `${count} value${count === 1 ? "" : "s"} masked` : "The body is shown masked";
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-xs text-violet-900 dark:border-violet-900 dark:bg-violet-950/40 dark:text-violet-200">
      <span>{what}.</span>
      {api.kind === "share" ? (
        <span>Shared links always show masked values; they cannot be revealed.</span>
      ) : capture.canReveal ? (
        <>
          <span className="text-violet-700 dark:text-violet-300">Reveals are audited.</span>
          <button
            type="button"
            className={`${BUTTON} ml-auto bg-white dark:bg-zinc-950`}
            title={auditNote}
            onClick={onReveal}
            disabled={revealing}
          >
            {revealing ? "Revealing…" : "Reveal"}
          </button>
        </>
      ) : (
        <span>Your role{role ? ` (${role})` : ""} can read captures but not reveal masked values; ask a member of the workspace.</span>
      )}
      {error ? (
        <span role="alert" className="w-full text-rose-600 dark:text-rose-400">
          Could not reveal: {errorMessage(error)}
        </span>
      ) : null}
    </div>
  );
}
