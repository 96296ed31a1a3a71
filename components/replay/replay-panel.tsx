"use client";
// The replay workbench on the capture detail: the editor (opened on demand, since opening it loads
// the stored header values, an audited reveal) and the capture's attempts with their details and
// diffs. Members and up replay; viewers read the attempts and see why they cannot replay. Share
// links have no replay API, so the panel is not shown there.
import { useState } from "react";
import { useSWRConfig } from "swr";
import type { CaptureView, EndpointView } from "../inspector/api";
import { PRIMARY } from "../ui/classes";
import { useInspectorView } from "../inspector/inspector-context";
import { canManage } from "../inspector/role";
import { AttemptsSection, type AttemptsPane } from "./attempts";
import { unstable_serialize } from "swr/infinite";
import { attemptPagesKey } from "./replay-api";
import { ReplayForm } from "./replay-form";

export function ReplayPanel({ capture, endpoint }: { capture: CaptureView; endpoint: EndpointView | undefined }) {
  const { api } = useInspectorView();
  if (api.kind !== "dashboard") return null;
  return <Panel key={capture.id} capture={capture} endpoint={endpoint} />;
}

function Panel({ capture, endpoint }: { capture: CaptureView; endpoint: EndpointView | undefined }) {
  const { mutate } = useSWRConfig();
  const [open, setOpen] = useState(false);
  const [pane, setPane] = useState<AttemptsPane>(null);
  const role = endpoint?.role;
  const canReplay = role !== undefined && canManage(role);
  const rejected = capture.rejected !== null;

  let intro: React.ReactNode;
  if (!endpoint) intro = <p className="text-xs text-zinc-500">Loading…</p>;
  else if (!canReplay) {
    intro = (
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={PRIMARY} disabled aria-describedby={`replay-why-${capture.id}`}>
          Replay this request…
        </button>
        <p id={`replay-why-${capture.id}`} role="note" className="text-xs text-amber-800 dark:text-amber-300">
          Replay is not available to your role{role ? ` (${role})` : ""}: viewers can read this capture and its attempts, but sending it
          again is for members of the workspace.
        </p>
      </div>
    );
  } else if (rejected) {
    intro = (
      <p role="note" className="text-xs text-zinc-600 dark:text-zinc-400">
        This capture was refused when it arrived ({capture.rejected}) and no body was stored, so it cannot be replayed.
      </p>
    );
  } else if (!open) {
    intro = (
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={PRIMARY} onClick={() => setOpen(true)}>
          Replay this request…
        </button>
        <p className="text-xs text-zinc-500">
          Send it again, exactly or edited, from the server or from this browser (for localhost). Every attempt is kept below.
        </p>
      </div>
    );
  } else {
    intro = (
      <ReplayForm
        capture={capture}
        endpointId={capture.endpointId}
        onClose={() => setOpen(false)}
        onAttempt={(attempt) => {
          void mutate(unstable_serialize(attemptPagesKey(capture.id)));
          setPane({ type: "attempt", id: attempt.id });
        }}
      />
    );
  }

  return (
    <section aria-label="Replay" className="space-y-2">
      <h3 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">Replay</h3>
      <div className="space-y-5 rounded-lg border border-zinc-200 p-3 sm:p-4 dark:border-zinc-800" data-testid="replay-panel">
        {intro}
        <AttemptsSection captureId={capture.id} canReveal={capture.canReveal} pane={pane} onPane={setPane} />
      </div>
    </section>
  );
}
