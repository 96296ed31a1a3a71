"use client";
// The attempts of one capture (server replays, browser replays, forwards), newest first: kind,
// time, target, status or error, duration. Open one to see the exact request sent and the response;
// tick two to compare their responses. Values come masked like the capture; a member can reveal one
// attempt (audited). Everything is rendered as text.
import { useMemo, useState } from "react";
import useSWR from "swr";
import useSWRInfinite from "swr/infinite";
import { errorMessage, fetchJson } from "../inspector/api";
import { BodyViewer } from "../inspector/body-viewer";
import { DataTable } from "../ui/data-table";
import { BUTTON } from "../ui/classes";
import { contentEncodings } from "../inspector/helpers/decompress";
import { exactUtc, formatBytes, relativeTime } from "../inspector/helpers/format";
import { useNow } from "../inspector/use-now";
import { BodyDiffView, DiffLegend, HeaderChanges, SubHeading, ValueChange } from "./diff-view";
import { attemptBodyUrl, attemptDiffKey, attemptKey, attemptPagesKey, type AttemptDiff, type AttemptPage, type AttemptView } from "./replay-api";
import { attemptErrorText, base64ToBytes, formatDuration, kindLabel } from "./replay-helpers";

const KIND_TONE: Record<string, string> = {
  replay: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
  browser: "bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300",
  forward: "bg-fuchsia-100 text-fuchsia-800 dark:bg-fuchsia-950 dark:text-fuchsia-300",
};

function KindChip({ kind }: { kind: string }) {
  return <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${KIND_TONE[kind] ?? ""}`}>{kindLabel(kind)}</span>;
}

export function StatusChip({ status }: { status: number }) {
  const tone =
    status >= 500
      ? "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300"
      : status >= 400
        ? "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300"
        : status >= 300
          ? "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300"
          : "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
  return <span className={`rounded px-1.5 py-0.5 font-mono text-[11px] font-semibold ${tone}`}>{status}</span>;
}

export function AttemptOutcome({ attempt }: { attempt: Pick<AttemptView, "response" | "error"> }) {
  if (attempt.response) return <StatusChip status={attempt.response.status} />;
  if (attempt.error) {
    return (
      <span className="text-xs text-rose-700 dark:text-rose-400" title={attempt.error.message}>
        {attempt.error.code}
      </span>
    );
  }
  return <span className="text-xs text-zinc-500">—</span>;
}

type Pane = { type: "attempt"; id: string } | { type: "diff"; a: string; b: string } | null;

export function AttemptsSection({
  captureId,
  canReveal,
  pane,
  onPane,
}: {
  captureId: string;
  canReveal: boolean;
  pane: Pane;
  onPane(p: Pane): void;
}) {
  // Newest 50 first; "Load older attempts" follows nextBefore (a capture forwarded with retries can have many).
  const list = useSWRInfinite<AttemptPage>(attemptPagesKey(captureId), fetchJson, { revalidateOnFocus: false, revalidateFirstPage: true });
  const [selected, setSelected] = useState<string[]>([]);
  const now = useNow();
  const attempts = useMemo(() => list.data?.flatMap((p) => p.attempts) ?? [], [list.data]);
  const last = list.data?.[list.data.length - 1];
  const loadingMore = list.isValidating && list.data !== undefined && list.data.length < list.size;
  const byId = useMemo(() => new Map(attempts.map((a) => [a.id, a])), [attempts]);
  const chosen = selected.filter((id) => byId.has(id));
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s.filter((x) => x !== id), id].slice(-2) : s.filter((x) => x !== id)));
  const comparable = chosen.length === 2 && chosen.every((id) => byId.get(id)?.response);

  function compare() {
    // Older one first, so the diff reads "what changed since".
    const [x, y] = [...chosen].sort((p, q) => (byId.get(p)!.createdAt < byId.get(q)!.createdAt ? -1 : p < q ? -1 : 1)) as [string, string];
    onPane({ type: "diff", a: x, b: y });
  }

  return (
    <div className="space-y-2" data-testid="attempts">
      <div className="flex flex-wrap items-center gap-2">
        <h4 className="text-sm font-semibold">Attempts{last ? ` (${attempts.length}${last.nextBefore ? "+" : ""})` : ""}</h4>
        <span className="text-xs text-zinc-500">Replays from the server and the browser, and forwards of this capture.</span>
        <div className="ml-auto flex gap-2">
          <button type="button" className={BUTTON} onClick={() => void list.mutate()}>
            Refresh
          </button>
          <button
            type="button"
            className={BUTTON}
            disabled={!comparable}
            onClick={compare}
            title={chosen.length < 2 ? "Tick two attempts to compare their responses" : comparable ? undefined : "Both attempts need a response"}
          >
            Compare responses{chosen.length ? ` (${chosen.length}/2)` : ""}
          </button>
        </div>
      </div>
      {list.error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          Could not load the attempts: {errorMessage(list.error)}
        </p>
      ) : !list.data ? (
        <p className="text-xs text-zinc-500">Loading attempts…</p>
      ) : attempts.length === 0 ? (
        <p className="text-xs text-zinc-500">No attempts yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table aria-label="Attempts" className="w-full border-collapse text-left text-xs">
            <thead className="bg-zinc-50 text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="w-8 px-2 py-1.5 font-normal">
                  <span className="sr-only">Compare</span>
                </th>
                <th scope="col" className="px-2 py-1.5 font-normal">Kind</th>
                <th scope="col" className="px-2 py-1.5 font-normal">Time</th>
                <th scope="col" className="px-2 py-1.5 font-normal">Target</th>
                <th scope="col" className="px-2 py-1.5 font-normal">Result</th>
                <th scope="col" className="px-2 py-1.5 text-right font-normal">Duration</th>
                <th scope="col" className="px-2 py-1.5 font-normal">
                  <span className="sr-only">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a, i) => {
                const open = pane?.type === "attempt" && pane.id === a.id;
                const label = `attempt ${attempts.length - i}`;
                return (
                  <tr
                    key={a.id}
                    data-testid="attempt-row"
                    data-attempt-id={a.id}
                    className={`border-t border-zinc-100 align-middle dark:border-zinc-900 ${open ? "bg-indigo-50/60 dark:bg-indigo-950/30" : ""}`}
                  >
                    <td className="px-2 py-1">
                      <input
                        type="checkbox"
                        aria-label={`Compare ${label}`}
                        checked={chosen.includes(a.id)}
                        onChange={(e) => toggle(a.id, e.target.checked)}
                      />
                    </td>
                    <td className="px-2 py-1">
                      <KindChip kind={a.kind} />
                      {a.kind === "forward" && a.attemptNo > 1 ? <span className="ml-1 text-[11px] text-zinc-500">try {a.attemptNo}</span> : null}
                    </td>
                    <td className="whitespace-nowrap px-2 py-1 text-zinc-600 dark:text-zinc-400" title={a.createdAt}>
                      {relativeTime(Date.parse(a.createdAt), now)}
                    </td>
                    <td className="max-w-[18rem] px-2 py-1 font-mono">
                      <span className="block truncate" title={`${a.request.method} ${a.request.url}`}>
                        <span className="font-semibold">{a.request.method}</span> {a.request.url}
                      </span>
                    </td>
                    <td className="px-2 py-1">
                      <AttemptOutcome attempt={a} />
                    </td>
                    <td className="whitespace-nowrap px-2 py-1 text-right font-mono text-zinc-600 dark:text-zinc-400">
                      {a.response ? formatDuration(a.response.durationMs) : "—"}
                    </td>
                    <td className="px-2 py-1 text-right">
                      <button
                        type="button"
                        className={`${BUTTON} px-2 py-0.5`}
                        aria-expanded={open}
                        aria-label={`${open ? "Close" : "Open"} ${label}`}
                        onClick={() => onPane(open ? null : { type: "attempt", id: a.id })}
                      >
                        {open ? "Close" : "Open"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {last?.nextBefore ? (
        <button type="button" className={BUTTON} disabled={loadingMore} onClick={() => void list.setSize(list.size + 1)}>
          {loadingMore ? "Loading…" : "Load older attempts"}
        </button>
      ) : null}
      {pane?.type === "attempt" ? <AttemptDetail key={pane.id} id={pane.id} canReveal={canReveal} onClose={() => onPane(null)} /> : null}
      {pane?.type === "diff" ? <ResponseDiffPanel key={`${pane.a}:${pane.b}`} a={pane.a} b={pane.b} onClose={() => onPane(null)} /> : null}
    </div>
  );
}

export type { Pane as AttemptsPane };

const ONCE = { revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false } as const;

function Card({ label, title, aside, children, testId }: { label: string; title: React.ReactNode; aside?: React.ReactNode; children: React.ReactNode; testId?: string }) {
  return (
    <section aria-label={label} data-testid={testId} className="space-y-3 rounded-md border border-zinc-200 bg-zinc-50/60 p-3 dark:border-zinc-800 dark:bg-zinc-900/40">
      <div className="flex flex-wrap items-center gap-2">
        <h4 className="text-sm font-semibold">{title}</h4>
        <div className="ml-auto flex flex-wrap gap-2">{aside}</div>
      </div>
      {children}
    </section>
  );
}

function AttemptDetail({ id, canReveal, onClose }: { id: string; canReveal: boolean; onClose(): void }) {
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
            <button type="button" className={BUTTON} onClick={() => setReveal(true)} title="Loads the stored values; recorded in the audit log.">
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
          {a.masked && !revealed ? <p className="text-xs text-violet-800 dark:text-violet-300">Values matching the redaction rules are masked here.</p> : null}
          {revealed ? <p className="text-xs text-amber-800 dark:text-amber-300">Showing the stored values; this reveal was recorded in the audit log.</p> : null}
          <div className="space-y-2">
            <SubHeading>Request sent</SubHeading>
            <p className="break-all font-mono text-xs">
              <span className="font-semibold">{a.request.method}</span> {a.request.url}
            </p>
            <DataTable label="Request headers sent" rows={a.request.headers.map(([name, value]) => ({ name, value }))} empty="No headers." />
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span>
                Body {formatBytes(a.request.bodySize)} · sha256 <span className="font-mono" data-testid="request-sha256">{a.request.bodySha256}</span>
              </span>
              {a.request.bodySize > 0 ? (
                <a className="underline" href={attemptBodyUrl(a.id, "request", revealed)} download={`${a.id}.request.bin`}>
                  Download request body
                </a>
              ) : null}
            </p>
            {a.kind === "browser" ? (
              <p className="text-[11px] text-zinc-500">Sent from a browser: these are the headers the page asked for; the browser added its own (Host, Origin, User-Agent…).</p>
            ) : null}
            {reqBytes.length > 0 && a.request.bodySize > 0 ? (
              <details className="text-xs">
                <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Show request body</summary>
                <div className="mt-2">
                  <BodyViewer bytes={reqBytes} contentType={headerValue(a.request.headers, "content-type")} headers={a.request.headers} serverDecoded={serverDecoded(a.request.headers, revealed)} />
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
                  <p className="text-xs text-amber-700 dark:text-amber-400">The body was longer than 1 MiB; only the first 1 MiB was kept.</p>
                ) : null}
                <DataTable label="Response headers" rows={a.response.headers.map(([name, value]) => ({ name, value }))} empty="No headers." />
                {a.kind === "browser" ? (
                  <p className="text-[11px] text-zinc-500">A browser only shows the response headers the target exposes (Access-Control-Expose-Headers).</p>
                ) : null}
                <BodyViewer
                  bytes={resBytes}
                  contentType={headerValue(a.response.headers, "content-type")}
                  headers={a.response.headers}
                  serverDecoded={serverDecoded(a.response.headers, revealed)}
                />
              </>
            ) : a.error ? (
              <p role="note" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-xs text-rose-900 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200">
                <span className="font-mono font-semibold">{a.error.code}</span>: {attemptErrorText(a.error)}
                {a.request.url && a.error.code === "cors_or_network" ? " Configure CORS on the target (see Send from browser) or check that it runs." : ""}
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

function ResponseDiffPanel({ a, b, onClose }: { a: string; b: string; onClose(): void }) {
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
            <span className="rounded bg-rose-100 px-1.5 py-0.5 text-rose-900 dark:bg-rose-950 dark:text-rose-200">older: {side(data.a)}</span>
            <span aria-hidden>→</span>
            <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">newer: {side(data.b)}</span>
          </p>
          <DiffLegend />
          {data.masked ? <p className="text-[11px] text-violet-800 dark:text-violet-300">Secrets your redaction rules match are shown masked; they are compared by their stored values.</p> : null}
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
