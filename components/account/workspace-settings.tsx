"use client";
// /w/[id]/settings: the sections a member sees depend on their role (the API checks again).
import useSWR from "swr";
import { can } from "@/lib/auth/roles";
import { fetchJson, workspaceKey, type WorkspaceView } from "./api";
import { AuditLog } from "./audit-log";
import { DeleteWorkspace } from "./delete-workspace";
import { Invites } from "./invites";
import { Members } from "./members";
import { RedactionRulesEditor } from "./redaction-rules";
import { WorkspaceName } from "./workspace-name";

export function WorkspaceSettings({ initial, userId }: { initial: WorkspaceView; userId: string }) {
  const { data } = useSWR<WorkspaceView>(workspaceKey(initial.id), fetchJson, { fallbackData: initial });
  const workspace = data ?? initial;
  const admin = can(workspace.role, "member.manage");
  return (
    <div className="space-y-6">
      <WorkspaceName workspace={workspace} />
      <Members workspace={workspace} userId={userId} />
      {admin && !workspace.personal ? <Invites workspace={workspace} /> : null}
      <RedactionRulesEditor workspace={workspace} />
      {can(workspace.role, "audit.read") ? <AuditLog workspaceId={workspace.id} /> : null}
      {can(workspace.role, "workspace.delete") && !workspace.personal ? <DeleteWorkspace workspace={workspace} /> : null}
    </div>
  );
}
