// A share link that is not (or no longer) valid: expired, revoked and unknown links all look the
// same, so a link cannot be probed for whether it ever existed.
export function ShareLinkInvalid() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-3 p-6">
      <h1 className="text-lg font-semibold">This link is not valid</h1>
      <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
        The share link has expired or was revoked, or the address is incomplete. Ask whoever sent it for a new one.
      </p>
    </main>
  );
}
