"use client";
// An invite link: shows which workspace and role it grants, then accepting joins (signed in) or
// sign-in / sign-up links that come back here. The token travels in POST bodies, not query strings.
import Link from "next/link";
import useSWR, { useSWRConfig } from "swr";
import { ApiError, errorMessage, ME_KEY, sendJson, type Role } from "./api";
import { LocalDate } from "./local-date";
import { ROLE_HELP } from "./role-label";
import { withCallback } from "../../lib/http/safe-callback";
import { BIG_PRIMARY, BIG_SECONDARY, ERROR } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

interface Preview {
  workspaceName: string;
  role: Role;
  expiresAt: string;
}

export function InviteAccept({ token, signedInAs }: { token: string; signedInAs: string | null }) {
  const { mutate } = useSWRConfig();
  const { data, error } = useSWR<Preview>(["invite-preview", token], () => sendJson<Preview>("POST", "/api/invites/preview", { token }), {
    revalidateOnFocus: false,
    shouldRetryOnError: false,
  });
  const accepting = useMutation(
    async () => {
      const joined = await sendJson<{ workspaceId: string; role: Role }>("POST", "/api/invites/accept", { token });
      await mutate(ME_KEY);
      window.location.assign(`/?${new URLSearchParams({ workspace: joined.workspaceId })}`);
    },
    (err) =>
      err instanceof ApiError && err.status === 404 ? "This invite has just been used, revoked or has expired." : errorMessage(err),
    { stayBusy: true },
  );
  const { busy, error: acceptError } = accepting;
  const here = `/invite/${encodeURIComponent(token)}`;

  if (error) {
    return (
      <div className="space-y-3">
        <p role="alert" className={ERROR}>
          {error instanceof ApiError && error.status === 404
            ? "This invite link does not work any more: it has been used, revoked or has expired. Ask the person who invited you for a new one."
            : `Could not check the invite: ${errorMessage(error)}`}
        </p>
        <Link href="/" className={BIG_SECONDARY}>
          Go to Hookscope
        </Link>
      </div>
    );
  }
  if (!data) return <p className="text-sm text-zinc-500">Checking the invite…</p>;

  const accept = () => void accepting.run();

  return (
    <div className="space-y-4">
      <p className="text-sm">
        You are invited to join <strong data-testid="invite-workspace">{data.workspaceName}</strong> as{" "}
        <strong data-testid="invite-role">{data.role}</strong>: a {data.role} {ROLE_HELP[data.role]}.
      </p>
      <p className="text-xs text-zinc-500">
        The link works once, until <LocalDate iso={data.expiresAt} format="datetime" />.
      </p>
      {signedInAs ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            You are signed in as <strong className="font-medium">{signedInAs}</strong>.
          </p>
          {acceptError ? (
            <p role="alert" className={ERROR}>
              {acceptError}
            </p>
          ) : null}
          <button type="button" className={`${BIG_PRIMARY} w-full`} disabled={busy} onClick={accept}>
            {busy ? "Joining…" : `Accept and join ${data.workspaceName}`}
          </button>
        </>
      ) : (
        <div className="space-y-2">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Sign in or create an account to accept; you come back here afterwards.</p>
          <div className="flex flex-wrap gap-2">
            <Link href={withCallback("/signin", here)} className={BIG_PRIMARY}>
              Sign in to accept
            </Link>
            <Link href={withCallback("/signup", here)} className={BIG_SECONDARY}>
              Create an account
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
