import type { Metadata } from "next";
import { Suspense } from "react";
import { SiteHeader } from "@/components/account/site-header";
import { WorkspaceSearch } from "@/components/search/workspace-search";
import { can } from "@/lib/auth/roles";
import { pageWorkspace } from "@/lib/http/page";

export const metadata: Metadata = { title: "Workspace search · Hookscope" };

// Search across a workspace's endpoints (a workspace view's URL: /w/<id>?q=). Members only: for anyone
// else the same 404 as for a workspace that does not exist.
export default async function WorkspaceSearchPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  const { role, workspace } = await pageWorkspace(id);
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-4xl space-y-4 px-4 py-6 sm:px-6">
        <h1 className="text-lg font-semibold">Search {workspace.name}</h1>
        <Suspense>
          <WorkspaceSearch workspaceId={id} canEditViews={can(role, "view.manage")} />
        </Suspense>
      </main>
    </>
  );
}
