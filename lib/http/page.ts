// Server components resolve the caller the same way route handlers do, so a page for something
// the caller may not see is the same 404 as a page for something that does not exist.
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import type { Principal } from "../auth/principal";
import { resolvePrincipal } from "../auth/request";
import type { Role } from "../auth/roles";
import { getEndpoint, type EndpointView } from "../endpoints/endpoints";
import { AppError } from "../errors";
import { getWorkspace, type WorkspaceView } from "../workspaces/workspaces";

export async function pagePrincipal(): Promise<Principal | null> {
  const jar = await cookies();
  const h = await headers();
  return resolvePrincipal({ headers: h, cookie: (name) => jar.get(name)?.value });
}

/** The endpoint for a page, or Next's 404 page when the caller may not see it. */
export async function pageEndpoint(id: string): Promise<{ principal: Principal; endpoint: EndpointView }> {
  const principal = await pagePrincipal();
  if (!principal) notFound();
  try {
    return { principal, endpoint: await getEndpoint(principal, id) };
  } catch (err) {
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  }
}

/** A workspace page for its members (signed-in users with a role in it), else Next's 404 page. */
export async function pageWorkspace(id: string): Promise<{ principal: Principal; role: Role; workspace: WorkspaceView }> {
  const principal = await pagePrincipal();
  const role = principal?.kind === "user" ? principal.roles.get(id) : undefined;
  if (!principal || !role) notFound();
  try {
    return { principal, role, workspace: await getWorkspace(principal, id) };
  } catch (err) {
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  }
}
