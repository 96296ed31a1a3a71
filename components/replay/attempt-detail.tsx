"use client";
// One attempt opened (the exact request sent and the response; a member can reveal it, audited)
// and two attempts' responses compared. Everything is rendered as text.
import { useMemo, useState } from "react";
import useSWR from "swr";
import { errorMessage, fetchJson } from "../inspector/api";
import { BodyViewer } from "../inspector/body-viewer";
import { DataTable } from "../ui/data-table";
import { BUTTON } from "../ui/classes";
import { contentEncodings } from "../../lib/body/decode";
import { exactUtc, formatBytes } from "../inspector/format";
import { BodyDiffView, DiffLegend, HeaderChanges, SubHeading, ValueChange } from "./diff-view";
import { attemptBodyUrl, attemptDiffKey, attemptKey, type AttemptDiff, type AttemptView } from "./replay-api";
import { attemptErrorText, base64ToBytes, formatDuration, kindLabel } from "./replay-helpers";
import { KindChip, StatusChip } from "./attempt-chips";

const ONCE = { revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false } as const;

function Card({
  label,
  title,
  aside,
  children,
  testId,
}: {
  label: string;
  title: React.ReactNode;
  aside?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <section
      aria-label={label}
      data-testid={testId}
      className="space-y-3 rounded-md border border-zinc-200 bg-zinc-50/60 p-3 dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h4 className="text-sm font-semibold">{title}</h4>
        <div className="ml-auto flex flex-wrap gap-2">{aside}</div>
      </div>
      {children}
    </section>
  );
}

export function AttemptDetail({ id, canReveal, onClose }: { id: string; canReveal: boolean; onClose(): void }) {
  const [reveal, setReveal] = useState(false);
  const masked = useSWR<AttemptView>(attemptKey(id), fetchJson, ONCE);
  const open = useSWR<AttemptView>(reveal ? attemptKey(id, true) : null, fetchJson, ONCE);
  const a = (reveal && open.data) || masked.data;
  const revealed = Boolean(reveal && open.data);
  const reqBytes = useMemo(() => (a?.request.bodyBase64 ? base64ToBytes(a.request.bodyBase64) : new Uint8Array(0)), [a]);
  const resBytes = useMemo(() => (a?.response?.bodyBase64 ? base64ToBytes(a.response.bodyBase64) : new Uint8Array(0)), [a]);
  const error = masked.error ?? open.error;
  return (
    <Card
      label="Attempt detail"
      testId="attempt-detail"
      title={
        a ? (
          <span className="flex flex-wrap items-center gap-2">
            <KindChip kind={a.kind} /> <span className="font-mono font-normal text-zinc-500">{exactUtc(Date.parse(a.createdAt))}</span>
            <span className="font-normal text-zinc-500">by {a.actor}</span>
          </span>
        ) : (
          "Attempt"
        )
      }
      aside={
        <>
          {a?.masked && !revealed && canReveal ? (
            <button
              type="button"
              className={BUTTON}
              onClick={() => setReveal(true)}
              title="Loads the stored values; recorded in the audit log."
            >
              Reveal
            </button>
          ) : null}
          <button type="button" className={BUTTON} onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          {errorMessage(error)}
        </p>
      ) : null}
      {!a ? (
        <p className="text-xs text-zinc-500">Loading attempt…</p>
      ) : (
        <>
          {a.masked && !revealed ? (
            <p className="text-xs text-violet-800 dark:text-violet-300">Values matching the redaction rules are masked here.</p>
          ) : null}
          {revealed ? (
            <p className="text-xs text-amber-800 dark:text-amber-300">
              Showing the stored values; this reveal was recorded in the audit log.
            </p>
          ) : null}
          <div className="space-y-2">
            <SubHeading>Request sent</SubHeading>
            <p className="break-all font-mono text-xs">
              <span className="font-semibold">{a.request.method}</span> {a.request.url}
            </p>
            <DataTable
              label="Request headers sent"
              rows={a.request.headers.map(([name, value]) => ({ name, value }))}
              empty="No headers."
            />
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span>
                Body {formatBytes(a.request.bodySize)} · sha256{" "}
                <span className="font-mono" data-testid="request-sha256">
                  {a.request.bodySha256}
                </span>
              </span>
              {a.request.bodySize > 0 ? (
                <a className="underline" href={attemptBodyUrl(a.id, "request", revealed)} download={`${a.id}.request.bin`}>
                  Download request body
                </a>
              ) : null}
            </p>
            {a.kind === "browser" ? (
              <p className="text-[11px] text-zinc-500">
                Sent from a browser: these are the headers the page asked for; the browser added its own (Host, Origin, User-Agent…).
              </p>
            ) : null}
            {reqBytes.length > 0 && a.request.bodySize > 0 ? (
              <details className="text-xs">
                <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Show request body</summary>
                <div className="mt-2">
                  <BodyViewer
                    bytes={reqBytes}
                    contentType={headerValue(a.request.headers, "content-type")}
                    headers={a.request.headers}
                    serverDecoded={serverDecoded(a.request.headers, revealed)}
                  />
                </div>
              </details>
            ) : null}
          </div>
          <div className="space-y-2">
            <SubHeading>Response</SubHeading>
            {a.response ? (
              <>
                <p className="flex flex-wrap items-center gap-2 text-xs">
                  <StatusChip status={a.response.status} />
                  <span className="text-zinc-600 dark:text-zinc-400">in {formatDuration(a.response.durationMs)}</span>
                  <span className="text-zinc-600 dark:text-zinc-400">· {formatBytes(a.response.bodySize)}</span>
                  {a.response.bodySize > 0 ? (
                    <a className="underline" href={attemptBodyUrl(a.id, "response", revealed)} download={`${a.id}.response.bin`}>
                      Download response body
                    </a>
                  ) : null}
                </p>
                {a.response.truncated ? (
                  <p className="text-xs text-amber-700 dark:text-amber-400">
                    The body was longer than 1 MiB; only the first 1 MiB was kept.
                  </p>
                ) : null}
                <DataTable
                  label="Response headers"
                  rows={a.response.headers.map(([name, value]) => ({ name, value }))}
                  empty="No headers."
                />
                {a.kind === "browser" ? (
                  <p className="text-[11px] text-zinc-500">
                    A browser only shows the response headers the target exposes (Access-Control-Expose-Headers).
                  </p>
                ) : null}
                <BodyViewer
                  bytes={resBytes}
                  contentType={headerValue(a.response.headers, "content-type")}
                  headers={a.response.headers}
                  serverDecoded={serverDecoded(a.response.headers, revealed)}
                />
              </>
            ) : a.error ? (
              <p
                role="note"
                className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-xs text-rose-900 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
              >
                <span className="font-mono font-semibold">{a.error.code}</span>: {attemptErrorText(a.error)}
                {a.request.url && a.error.code === "cors_or_network"
                  ? " Configure CORS on the target (see Send from browser) or check that it runs."
                  : ""}
              </p>
            ) : (
              <p className="text-xs text-zinc-500">No response.</p>
            )}
          </div>
        </>
      )}
    </Card>
  );
}

function headerValue(headers: [string, string][], name: string): string | null {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
}

/** A masked view of a compressed body arrives decoded by the server (masking has to read it). */
function serverDecoded(headers: [string, string][], revealed: boolean): "decoded" | null {
  return !revealed && contentEncodings(headers).length > 0 ? "decoded" : null;
}

export function ResponseDiffPanel({ a, b, onClose }: { a: string; b: string; onClose(): void }) {
  const { data, error } = useSWR<AttemptDiff>(attemptDiffKey(a, b), fetchJson, ONCE);
  const side = (s: AttemptDiff["a"]) => `${kindLabel(s.kind)} · ${exactUtc(Date.parse(s.createdAt)).slice(11, 23)} · ${s.status}`;
  return (
    <Card
      label="Response diff"
      testId="response-diff"
      title="Response diff"
      aside={
        <button type="button" className={BUTTON} onClick={onClose}>
          Close
        </button>
      }
    >
      {error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          Could not compare: {errorMessage(error)}
        </p>
      ) : !data ? (
        <p className="text-xs text-zinc-500">Comparing…</p>
      ) : (
        <>
          <p className="flex flex-wrap items-center gap-2 font-mono text-xs">
            <span className="rounded bg-rose-100 px-1.5 py-0.5 text-rose-900 dark:bg-rose-950 dark:text-rose-200">
              older: {side(data.a)}
            </span>
            <span aria-hidden>→</span>
            <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
              newer: {side(data.b)}
            </span>
          </p>
          <DiffLegend />
          {data.masked ? (
            <p className="text-[11px] text-violet-800 dark:text-violet-300">
              Secrets your redaction rules match are shown masked; they are compared by their stored values.
            </p>
          ) : null}
          <div className="space-y-1">
            <SubHeading>Status</SubHeading>
            {data.diff.status ? (
              <ValueChange label="Status" before={String(data.diff.status.before)} after={String(data.diff.status.after)} />
            ) : (
              <p className="text-xs text-zinc-500">Same status ({data.a.status}).</p>
            )}
          </div>
          <div className="space-y-1">
            <SubHeading>Headers</SubHeading>
            <p className="text-[11px] text-zinc-500">Date and other headers that change on every response are ignored.</p>
            <HeaderChanges changes={data.diff.headers} label="Response header changes" />
          </div>
          <div className="space-y-1">
            <SubHeading>Body</SubHeading>
            <BodyDiffView diff={data.diff.body} />
          </div>
        </>
      )}
    </Card>
  );
}
