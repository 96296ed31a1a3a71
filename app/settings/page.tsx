import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AccountSettings } from "@/components/account/account-settings";
import { SiteHeader } from "@/components/account/site-header";
import { pagePrincipal } from "@/lib/http/page";

export const metadata: Metadata = { title: "Settings · Hookscope" };

export default async function SettingsPage() {
  const principal = await pagePrincipal();
  if (principal?.kind !== "user") redirect("/signin?callbackUrl=%2Fsettings");
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-4xl space-y-6 px-4 py-8 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <AccountSettings />
      </main>
    </>
  );
}
