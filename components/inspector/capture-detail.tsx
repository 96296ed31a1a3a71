"use client";
// One capture: overview, headers in wire order, query parameters and the body through lenses.
// Every captured field is rendered as React text; nothing captured becomes markup.
import useSWR from "swr";
import { bodyUrl, captureKey, endpointKey, errorMessage, fetchBytes, fetchJson, type CaptureDetail, type EndpointView } from "./api";
import { BodyViewer } from "./body-viewer";
import { CaptureActions } from "./capture-actions";
import { CaptureOverview } from "./capture-overview";
import { DataTable } from "./data-table";
import { pathWithQuery } from "./helpers/format";
import { parseQuery } from "./helpers/query-params";
import { MethodBadge } from "./method-badge";

function Section({ title, children, aside }: { title: string; children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <section aria-label={title} className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function CaptureDetailView({ endpointId, captureId }: { endpointId: string; captureId: string }) {
  const { data: capture, error } = useSWR<CaptureDetail>(captureKey(captureId), fetchJson, { revalidateOnFocus: false });
  const { data: endpoint } = useSWR<EndpointView>(endpointKey(endpointId), fetchJson);
  const { data: body, error: bodyError } = useSWR(capture && capture.bodySize > 0 ? bodyUrl(captureId) : null, fetchBytes, {
    revalidateOnFocus: false,
    revalidateIfStale: false,
  });

  if (error) {
    return (
      <p role="alert" className="p-6 text-sm text-rose-600 dark:text-rose-400">
        Could not load this capture: {errorMessage(error)}
      </p>
    );
  }
  if (!capture) return <p className="p-6 text-sm text-zinc-500">Loading capture…</p>;

  const query = parseQuery(capture.query);
  return (
    <article className="space-y-6 p-4 lg:p-6">
      <header className="space-y-3">
        <h2 className="flex min-w-0 items-center gap-2 text-lg font-semibold">
          <MethodBadge method={capture.method} />
          <span className="min-w-0 break-all font-mono text-base">{pathWithQuery(capture.path, capture.query)}</span>
        </h2>
        <CaptureActions endpointId={endpointId} captureId={capture.id} hasBody={capture.bodySize > 0} />
      </header>
      <Section title="Overview">
        <CaptureOverview capture={capture} endpointUrl={endpoint?.url} />
      </Section>
      <Section title={`Headers (${capture.headers.length})`}>
        <DataTable label="Headers" rows={capture.headers.map(([name, value]) => ({ name, value }))} empty="No headers." />
      </Section>
      <Section title={`Query parameters (${query.length})`}>
        <DataTable
          label="Query parameters"
          rows={query.map((p) => ({ name: p.name, value: p.value, note: p.malformed ? "bad escape, shown raw" : undefined }))}
          empty="No query string."
        />
      </Section>
      <Section title="Body" aside={capture.contentType ? <span className="truncate font-mono text-xs text-zinc-500">{capture.contentType}</span> : null}>
        {capture.bodySize === 0 ? (
          <p className="text-sm text-zinc-500">No body.</p>
        ) : bodyError ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            Could not load the body: {errorMessage(bodyError)}
          </p>
        ) : body ? (
          <BodyViewer key={capture.id} bytes={body} contentType={capture.contentType} headers={capture.headers} captureId={capture.id} />
        ) : (
          <p className="text-sm text-zinc-500">Loading body…</p>
        )}
      </Section>
    </article>
  );
}
