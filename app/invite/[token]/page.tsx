import type { Metadata } from "next";
import { AuthCard } from "@/components/account/auth-card";
import { InviteAccept } from "@/components/account/invite-accept";
import { pagePrincipal } from "@/lib/http/page";

export const metadata: Metadata = { title: "Invitation · Hookscope", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const token = decodeURIComponent((await params).token);
  const principal = await pagePrincipal();
  const signedInAs = principal?.kind === "user" ? (principal.email ?? principal.label) : null;
  return (
    <AuthCard title="Workspace invitation">
      <InviteAccept token={token} signedInAs={signedInAs} />
    </AuthCard>
  );
}
