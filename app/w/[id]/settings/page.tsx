import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SiteHeader } from "@/components/account/site-header";
import { WorkspaceSettings } from "@/components/account/workspace-settings";
import { pageWorkspace } from "@/lib/http/page";

export const metadata: Metadata = { title: "Workspace settings · Hookscope" };

// Members only: for anyone else the page is the same 404 as for a workspace that does not exist.
export default async function WorkspaceSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const { principal, workspace } = await pageWorkspace(id);
  if (!principal.userId) notFound();
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-4xl px-4 py-8 sm:px-6">
        <WorkspaceSettings initial={workspace} userId={principal.userId} />
      </main>
    </>
  );
}
