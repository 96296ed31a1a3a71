import type { Metadata } from "next";
import { AuthCard } from "@/components/account/auth-card";
import { authPageContext } from "@/lib/http/auth-page";
import { ClaimNote } from "@/components/account/claim-note";
import { SignInForm } from "@/components/account/signin-form";
import { enabledOAuthProviders } from "@/lib/accounts/auth-options";

export const metadata: Metadata = { title: "Sign in · Hookscope" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const { callbackUrl, anonymousEndpoints } = await authPageContext(sp.callbackUrl);
  const error = typeof sp.error === "string" ? sp.error : null;
  return (
    <AuthCard title="Sign in to Hookscope">
      <ClaimNote count={anonymousEndpoints} action="sign in" />
      <SignInForm callbackUrl={callbackUrl} providers={enabledOAuthProviders()} initialError={error} />
    </AuthCard>
  );
}
