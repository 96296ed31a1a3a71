"use client";
import { signOut } from "next-auth/react";
import { useMutation } from "../ui/use-mutation";

/** next-auth's sign-out (a CSRF-protected POST), then a full load of the home page. */
export function SignOutButton({ className }: { className: string }) {
  // Busy stays on: the page is being left.
  const { run, busy } = useMutation(
    async () => {
      await signOut({ redirect: false });
      window.location.assign("/");
    },
    undefined,
    { stayBusy: true },
  );
  return (
    <button type="button" className={className} disabled={busy} onClick={() => void run()}>
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
