"use client";

import { useRouter } from "next/navigation";
import { FormError } from "./ui/form-message";
import { useMutation } from "./ui/use-mutation";

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
  // Stays busy after success while the endpoint page loads.
  const creating = useMutation(
    async () => {
      const res = await fetch("/api/endpoints", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(workspaceId ? { workspaceId } : {}),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      router.push(`/e/${encodeURIComponent((body as Created).id)}`);
    },
    undefined,
    { stayBusy: true },
  );
  const { busy, error } = creating;
  const create = () => void creating.run();

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
      <FormError error={error} className="text-sm text-red-600" />
    </div>
  );
}
