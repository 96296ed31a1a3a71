"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { BIG_SECONDARY } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

export interface OAuthProviderInfo {
  id: string;
  name: string;
}

/** One button per OAuth provider this server has configured (none: nothing is shown). */
export function OAuthButtons({ providers, callbackUrl }: { providers: OAuthProviderInfo[]; callbackUrl: string }) {
  // Which provider was chosen; busy stays on while the browser goes to it.
  const [chosen, setChosen] = useState<string | null>(null);
  const redirect = useMutation((provider: string) => signIn(provider, { callbackUrl }), undefined, { stayBusy: true });
  if (providers.length === 0) return null;
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3 text-xs text-zinc-500">
        <hr className="flex-1 border-zinc-200 dark:border-zinc-800" />
        or
        <hr className="flex-1 border-zinc-200 dark:border-zinc-800" />
      </div>
      {providers.map((p) => (
        <button
          key={p.id}
          type="button"
          disabled={redirect.busy}
          className={`${BIG_SECONDARY} w-full`}
          onClick={() => {
            setChosen(p.id);
            void redirect.run(p.id);
          }}
        >
          {redirect.busy && chosen === p.id ? "Redirecting…" : `Continue with ${p.name}`}
        </button>
      ))}
    </div>
  );
}
