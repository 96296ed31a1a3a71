import { AccountMenu } from "@/components/account/account-menu";
import { AnonymousNote } from "@/components/account/anonymous-note";
import { WorkspaceHome } from "@/components/account/workspace-home";
import { CreateEndpointButton } from "@/components/create-endpoint-button";
import { ThemeToggle } from "@/components/theme-toggle";
import { YourEndpoints } from "@/components/your-endpoints";
import { pagePrincipal } from "@/lib/http/page";
import type { Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { listEndpoints } from "@/lib/endpoints/endpoints";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** When the visitor's anonymous endpoints go: the soonest of theirs, else one made now. */
async function anonymousExpiry(principal: Principal | null): Promise<string> {
  const mine = principal?.kind === "anonymous" ? await listEndpoints(principal) : [];
  const soonest = mine
    .map((e) => e.expiresAt)
    .filter((x): x is string => x !== null)
    .sort()[0];
  return soonest ?? new Date(Date.now() + config().ANON_ENDPOINT_TTL).toISOString();
}

export default async function HomePage({ searchParams }: { searchParams: Search }) {
  const principal = await pagePrincipal();
  const signedIn = principal?.kind === "user";
  const requested = (await searchParams).workspace;
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-6 py-16">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-3xl font-semibold tracking-tight">Hookscope</h1>
        <div className="flex items-center gap-2">
          <AccountMenu />
          <ThemeToggle />
        </div>
      </div>
      <p className="text-zinc-600 dark:text-zinc-400">
        Capture URLs that record every request exactly as it was sent: any method, headers in wire order, the body byte for byte.
      </p>
      {signedIn ? (
        <WorkspaceHome requestedWorkspaceId={typeof requested === "string" ? requested : undefined} />
      ) : (
        <>
          <CreateEndpointButton />
          <AnonymousNote expiresAt={await anonymousExpiry(principal)} />
          <YourEndpoints />
        </>
      )}
    </main>
  );
}
