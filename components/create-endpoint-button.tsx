"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

interface Created {
  id: string;
  url: string;
}

interface Props {
  /** Signed in: the workspace to create it in (the API defaults to the personal one). */
  workspaceId?: string;
  /** When set, creating is not allowed here and this says why. */
  disabledReason?: string;
}

export function CreateEndpointButton({ workspaceId, disabledReason }: Props = {}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/endpoints", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(workspaceId ? { workspaceId } : {}),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      // Stay busy while the endpoint page loads.
      router.push(`/e/${encodeURIComponent((body as Created).id)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <div className="space-y-3">
      <button
        type="button"
        onClick={create}
        disabled={busy || Boolean(disabledReason)}
        aria-describedby={disabledReason ? "create-endpoint-why" : undefined}
        className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-60 disabled:hover:bg-indigo-600"
      >
        {busy ? "Creating…" : "Create a capture URL"}
      </button>
      {disabledReason ? (
        <p id="create-endpoint-why" className="text-sm text-zinc-600 dark:text-zinc-400">
          {disabledReason}
        </p>
      ) : null}
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
