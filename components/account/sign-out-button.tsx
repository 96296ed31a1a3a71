"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";

/** next-auth's sign-out (a CSRF-protected POST), then a full load of the home page. */
export function SignOutButton({ className }: { className: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await signOut({ redirect: false });
        window.location.assign("/");
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
