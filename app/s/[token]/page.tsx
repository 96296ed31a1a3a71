import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { SharedInspector } from "@/components/inspector/shared-inspector";
import { clientIp } from "@/lib/auth/client-ip";
import { AppError } from "@/lib/errors";
import { openShare, recordShareView, ShareRateLimited, type OpenShare } from "@/lib/sharing/share-links";

export const metadata: Metadata = {
  title: "Shared capture view · Hookscope",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

const EXPIRY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

// A share link needs no account. Opening the page counts one view (and audits it); moving around
// inside it only changes the address (?c=<capture>), and the data comes from /api/share/<token>/…,
// which does not count again. Expired, revoked and unknown links are the same 404 (not-found.tsx).
// The same URL with Accept: application/json is the share's JSON form (proxy.ts).
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ip = clientIp(await headers());
  let share: OpenShare;
  try {
    share = await openShare(token, ip);
  } catch (err) {
    if (err instanceof ShareRateLimited) return <TooManyAttempts />;
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  }
  await recordShareView(share, ip);
  return (
    <SharedInspector
      token={token}
      kind={share.captureId ? "capture" : "endpoint"}
      name={share.endpointName}
      expiresAt={share.expiresAt.toISOString()}
      expiresLabel={`${EXPIRY.format(share.expiresAt)} UTC`}
      captureId={share.captureId}
    />
  );
}

function TooManyAttempts() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-3 p-6">
      <h1 className="text-lg font-semibold">Too many attempts</h1>
      <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
        Too many share links that are not valid were opened from this address. Wait a minute and try again.
      </p>
    </main>
  );
}
