import type { Metadata } from "next";
import { AuthCard } from "@/components/account/auth-card";
import { authPageContext } from "@/lib/http/auth-page";
import { ClaimNote } from "@/components/account/claim-note";
import { SignUpForm } from "@/components/account/signup-form";
import { enabledOAuthProviders } from "@/lib/accounts/auth-options";

export const metadata: Metadata = { title: "Sign up · Hookscope" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: Search }) {
  const { callbackUrl, anonymousEndpoints } = await authPageContext((await searchParams).callbackUrl);
  return (
    <AuthCard title="Create your Hookscope account">
      <ClaimNote count={anonymousEndpoints} action="sign up" />
      <SignUpForm callbackUrl={callbackUrl} providers={enabledOAuthProviders()} />
    </AuthCard>
  );
}
