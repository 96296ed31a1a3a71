import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SiteHeader } from "@/components/account/site-header";
import { WorkspaceSettings } from "@/components/account/workspace-settings";
import { pagePrincipal } from "@/lib/http/page";
import { AppError } from "@/lib/errors";
import { getWorkspace, type WorkspaceView } from "@/lib/workspaces/workspaces";

export const metadata: Metadata = { title: "Workspace settings · Hookscope" };

// Members only: for anyone else the page is the same 404 as for a workspace that does not exist.
export default async function WorkspaceSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const principal = await pagePrincipal();
  if (principal?.kind !== "user" || !principal.userId || !principal.roles.has(id)) notFound();
  let workspace: WorkspaceView;
  try {
    workspace = await getWorkspace(principal, id);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  }
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-4xl px-4 py-8 sm:px-6">
        <WorkspaceSettings initial={workspace} userId={principal.userId} />
      </main>
    </>
  );
}
