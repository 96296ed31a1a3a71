"use client";
// Diffs of the replay workbench, rendered as text: two attempts' responses (status, headers, body)
// and an edited request against the original capture. JSON bodies are compared by value on the
// server (key order ignored) and listed by path; added fields are green, removed red, changed amber.
import { BUTTON, DATA_TABLE_FRAME } from "../ui/classes";
import { formatBytes } from "../inspector/format";
import type { BodyDiff, EditedRequestDiff, HeaderChange, JsonChange, TextLine } from "./replay-api";
import { showValue } from "./replay-helpers";

const TONE: Record<string, string> = {
  added: "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100",
  removed: "border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-100",
  changed: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100",
  moved: "border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100",
};
const BADGE: Record<string, string> = {
  added: "bg-emerald-600 text-white dark:bg-emerald-500 dark:text-emerald-950",
  removed: "bg-rose-600 text-white dark:bg-rose-500 dark:text-rose-950",
  changed: "bg-amber-500 text-amber-950 dark:bg-amber-400",
  moved: "bg-sky-600 text-white dark:bg-sky-400 dark:text-sky-950",
};
const BEFORE = "rounded bg-rose-100 px-1 text-rose-900 line-through decoration-rose-400/60 dark:bg-rose-900/60 dark:text-rose-100";
const AFTER = "rounded bg-emerald-100 px-1 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100";

export function KindBadge({ kind }: { kind: string }) {
  return (
    <span className={`shrink-0 rounded px-1.5 py-px font-sans text-[10px] font-semibold uppercase tracking-wide ${BADGE[kind] ?? ""}`}>
      {kind}
    </span>
  );
}

export function DiffLegend() {
  return (
    <p className="flex flex-wrap items-center gap-2 text-[11px] text-zinc-500">
      <KindBadge kind="added" /> only in the newer one <KindBadge kind="removed" /> only in the older one <KindBadge kind="changed" />{" "}
      different value
    </p>
  );
}

export function SubHeading({ children }: { children: React.ReactNode }) {
  return <h5 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">{children}</h5>;
}

/** A before → after pair of single values (status, method, URL). */
export function ValueChange({ label, before, after }: { label: string; before: string; after: string }) {
  return (
    <div
      data-kind="changed"
      className={`flex flex-wrap items-center gap-2 rounded-md border px-2 py-1.5 font-mono text-xs ${TONE.changed}`}
    >
      <KindBadge kind="changed" />
      <span className="font-sans font-medium">{label}</span>
      <span className={`${BEFORE} break-all`}>{before}</span>
      <span aria-hidden>→</span>
      <span className="sr-only">changed to</span>
      <span className={`${AFTER} break-all`}>{after}</span>
    </div>
  );
}

export function HeaderChanges({ changes, label = "Header changes" }: { changes: HeaderChange[]; label?: string }) {
  if (changes.length === 0) return <p className="text-xs text-zinc-500">No header differences.</p>;
  return (
    <ul aria-label={label} className="space-y-1">
      {changes.map((c, i) => (
        <li
          key={i}
          data-kind={c.kind}
          className={`flex flex-wrap items-start gap-2 rounded-md border px-2 py-1 font-mono text-xs ${TONE[c.kind]}`}
        >
          <KindBadge kind={c.kind} />
          <span className="font-semibold">{c.name}</span>
          {c.before ? <span className={`${BEFORE} min-w-0 break-all`}>{c.before.join(", ")}</span> : null}
          {c.before && c.after ? <span aria-hidden>→</span> : null}
          {c.after ? <span className={`${AFTER} min-w-0 break-all`}>{c.after.join(", ")}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function JsonChanges({ changes, truncated }: { changes: JsonChange[]; truncated: boolean }) {
  return (
    <>
      <ul aria-label="Body changes" className="space-y-1">
        {changes.map((c, i) => (
          <li
            key={i}
            data-kind={c.kind}
            data-path={c.path}
            className={`flex flex-wrap items-start gap-2 rounded-md border px-2 py-1 font-mono text-xs ${TONE[c.kind]}`}
          >
            <KindBadge kind={c.kind} />
            <span className="font-semibold break-all">{c.path}</span>
            {c.kind === "moved" ? (
              <span>
                index {String(c.before)} → {String(c.after)}
              </span>
            ) : (
              <>
                {c.kind !== "added" ? <span className={`${BEFORE} min-w-0 break-all`}>{showValue(c.before)}</span> : null}
                {c.kind === "changed" ? <span aria-hidden>→</span> : null}
                {c.kind !== "removed" ? <span className={`${AFTER} min-w-0 break-all`}>{showValue(c.after)}</span> : null}
              </>
            )}
          </li>
        ))}
      </ul>
      {truncated ? <p className="text-xs text-amber-700 dark:text-amber-400">Only the first {changes.length} changes are listed.</p> : null}
    </>
  );
}

const LINE_TONE: Record<TextLine["kind"], string> = {
  same: "text-zinc-600 dark:text-zinc-400",
  added: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100",
  removed: "bg-rose-50 text-rose-900 dark:bg-rose-950/60 dark:text-rose-100",
  skipped: "text-zinc-400 italic",
};

function TextChanges({ lines, truncated }: { lines: TextLine[]; truncated: boolean }) {
  return (
    <div className={DATA_TABLE_FRAME}>
      {/* biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element */}
      <pre role="figure" aria-label="Body line diff" className="min-w-full font-mono text-xs">
        {lines.map((l, i) =>
          l.kind === "skipped" ? (
            <div key={i} className={`px-2 ${LINE_TONE.skipped}`}>
              … {l.count} unchanged line{l.count === 1 ? "" : "s"}
            </div>
          ) : (
            <div key={i} data-kind={l.kind} className={`whitespace-pre-wrap break-all px-2 ${LINE_TONE[l.kind]}`}>
              <span aria-hidden className="mr-2 select-none">
                {l.kind === "added" ? "+" : l.kind === "removed" ? "-" : " "}
              </span>
              {l.text}
            </div>
          ),
        )}
      </pre>
      {truncated ? <p className="px-2 py-1 text-xs text-amber-700 dark:text-amber-400">The diff was cut short.</p> : null}
    </div>
  );
}

export function BodyDiffView({ diff }: { diff: BodyDiff }) {
  if (diff.mode === "binary") {
    return diff.equal ? (
      <p className="text-xs text-zinc-500">Identical bytes ({diff.before.size} B).</p>
    ) : (
      <div data-kind="changed" className={`space-y-1 rounded-md border px-2 py-1.5 font-mono text-xs ${TONE.changed}`}>
        <p className="font-sans">Binary bodies differ (compared by size and SHA-256):</p>
        <p>
          <span className={BEFORE}>
            {diff.before.size} B · {diff.before.sha256.slice(0, 16)}…
          </span>{" "}
          →{" "}
          <span className={AFTER}>
            {diff.after.size} B · {diff.after.sha256.slice(0, 16)}…
          </span>
        </p>
      </div>
    );
  }
  if (diff.equal) {
    return <p className="text-xs text-zinc-500">{diff.mode === "json" ? "Same JSON value (key order ignored)." : "Same text."}</p>;
  }
  return (
    <div className="space-y-1">
      <p className="text-[11px] text-zinc-500">
        {diff.mode === "json" ? "Compared as JSON values: key order is ignored, array items are matched by id." : "Compared line by line."}
      </p>
      {diff.mode === "json" ? (
        <JsonChanges changes={diff.changes} truncated={diff.truncated} />
      ) : (
        <TextChanges lines={diff.lines} truncated={diff.truncated} />
      )}
    </div>
  );
}

/** An edited request against the capture it came from (POST /api/captures/:id/diff-request). */
export function RequestDiffPanel({ diff, onClose }: { diff: EditedRequestDiff; onClose(): void }) {
  const d = diff.diff;
  const same = !d.method && !d.url && d.headers.length === 0 && d.body.equal;
  return (
    <section
      aria-label="Request diff"
      data-testid="request-diff"
      className="space-y-3 rounded-md border border-zinc-200 bg-zinc-50/60 p-3 dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <div className="flex items-center gap-2">
        <h4 className="text-sm font-semibold">Edited request against the original</h4>
        <button type="button" className={`${BUTTON} ml-auto`} onClick={onClose}>
          Close
        </button>
      </div>
      <DiffLegend />
      {same ? <p className="text-xs text-zinc-500">No differences: this replay sends the capture as it arrived.</p> : null}
      {d.method ? <ValueChange label="Method" before={d.method.before} after={d.method.after} /> : null}
      {d.url ? <ValueChange label="URL" before={d.url.before} after={d.url.after} /> : null}
      <div className="space-y-1">
        <SubHeading>Headers</SubHeading>
        <p className="text-[11px] text-zinc-500">Host, Content-Length and hop-by-hop headers are set by the sender and left out here.</p>
        <HeaderChanges changes={d.headers} label="Request header changes" />
      </div>
      <div className="space-y-1">
        <SubHeading>Body</SubHeading>
        <p className="text-[11px] text-zinc-500">
          Edited body: {formatBytes(diff.edited.bodySize)}, sha256 <span className="font-mono">{diff.edited.bodySha256.slice(0, 16)}…</span>
        </p>
        <BodyDiffView diff={d.body} />
      </div>
      {diff.masked ? (
        <p className="text-[11px] text-violet-800 dark:text-violet-300">
          Secrets your redaction rules match are shown masked; they are compared by their stored values.
        </p>
      ) : null}
    </section>
  );
}
