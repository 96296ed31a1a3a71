import type { CaptureView } from "./api";
import { exactUtc, formatBytes, fullCaptureUrl } from "./format";

export function CaptureOverview({ capture, endpointUrl }: { capture: CaptureView; endpointUrl: string | undefined }) {
  // A masked view's size and hash are those of the body it shows (the stored ones only when nothing in it is masked).
  const ofMasked = !capture.revealed && (capture.masked?.body.length ?? 0) > 0 ? " (masked body)" : "";
  const facts: [string, React.ReactNode][] = [
    [
      "URL",
      endpointUrl
        ? fullCaptureUrl(endpointUrl, capture.path, capture.query)
        : `${capture.path || "/"}${capture.query ? `?${capture.query}` : ""}`,
    ],
    [
      "Received",
      <time
        key="t"
        dateTime={exactUtc(capture.receivedAt)}
      >{`${new Date(capture.receivedAt).toLocaleString()} (${exactUtc(capture.receivedAt)})`}</time>,
    ],
    ["Source", capture.remoteAddr],
    ["HTTP", capture.httpVersion],
    [`Size${ofMasked}`, `${formatBytes(capture.bodySize)} (${capture.bodySize.toLocaleString()} bytes)`],
    [`SHA-256${ofMasked}`, capture.bodySha256 ?? "none (the body is withheld from the masked view)"],
    ["Response", `${capture.response.status}${capture.rejected ? ` (refused: ${capture.rejected})` : ""}`],
    ["Received in", `${capture.durationMs} ms`],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-zinc-500">{term}</dt>
          <dd className="min-w-0 break-all font-mono text-xs leading-5">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
