// The caller's role on the endpoint, as the API reports it (EndpointView.role). The server checks
// every action; the UI only leaves out what the role cannot do and says why.
import type { EndpointView } from "./api";

type Role = EndpointView["role"];

/** Settings, delete, clear, share links and reveal: member and up. */
export function canManage(role: Role): boolean {
  return role !== "viewer";
}

const DESCRIPTION: Record<Role, string> = {
  viewer: "Viewer: you can read captures (masked) but not reveal, delete, share or change settings.",
  member: "Member: you can change settings, share, reveal masked values and delete captures.",
  admin: "Admin: everything on endpoints, plus the workspace's members, invites and audit log.",
  owner: "Owner: everything, including deleting the workspace.",
};

export function RoleBadge({ endpoint }: { endpoint: EndpointView }) {
  const anonymous = endpoint.workspaceId === null;
  const title = anonymous
    ? "Made without an account: this browser owns it until it expires. Sign up or sign in to keep it in your workspace."
    : DESCRIPTION[endpoint.role];
  return (
    <span
      data-testid="endpoint-role"
      title={title}
      className={`rounded-full border px-2 py-0.5 text-[11px] font-medium ${
        endpoint.role === "viewer"
          ? "border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300"
          : "border-zinc-300 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
      }`}
    >
      {anonymous ? "This browser" : endpoint.role[0]!.toUpperCase() + endpoint.role.slice(1)}
      <span className="sr-only"> ({title})</span>
    </span>
  );
}
