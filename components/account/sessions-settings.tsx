"use client";
// Settings → Sign-in and sessions: change the password (every other session ends) and sign out
// everywhere (every session, this one included, ends on the server).
import { useId, useState } from "react";
import { errorMessage, sendJson } from "./api";
import { ConfirmButton } from "../ui/confirm-button";
import { CARD, DANGER, ERROR, HEADING, HINT, INPUT, LABEL, PRIMARY } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

export function SessionsSettings() {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={CARD}>
      <h2 id={headingId} className={HEADING}>
        Sign-in and sessions
      </h2>
      <ChangePasswordForm />
      <div className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <p className={HINT}>
          Signed in on a shared or lost device? Signing out everywhere ends every session of your account at once, this one included, and
          closes their live views within seconds. API tokens keep working; revoke them above.
        </p>
        <ConfirmButton
          label="Sign out everywhere"
          title="Sign out everywhere?"
          description="Every browser signed in to your account is signed out, this one too. You can sign in again right away."
          confirmLabel="Sign out everywhere"
          buttonClassName={DANGER}
          onConfirm={async () => {
            await sendJson("DELETE", "/api/me/sessions");
            window.location.assign("/signin");
          }}
        />
      </div>
    </section>
  );
}

function ChangePasswordForm() {
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const changing = useMutation(async () => {
    const { sessionsEnded } = await sendJson<{ sessionsEnded: number }>("PUT", "/api/me/password", {
      currentPassword: current,
      newPassword: next,
    });
    setCurrent("");
    setNext("");
    setDone(
      `Password changed. ${sessionsEnded === 0 ? "No other session was signed in." : `${sessionsEnded} other ${sessionsEnded === 1 ? "session was" : "sessions were"} signed out.`}`,
    );
  }, errorMessage);
  const { busy, error } = changing;

  function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setDone(null);
    void changing.run();
  }

  return (
    <form onSubmit={submit} aria-label="Change password" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-current`} className={LABEL}>
            Current password
          </label>
          <input
            id={`${id}-current`}
            type="password"
            className={`${INPUT} w-full`}
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            required
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-new`} className={LABEL}>
            New password
          </label>
          <input
            id={`${id}-new`}
            type="password"
            className={`${INPUT} w-full`}
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            minLength={8 /* PASSWORD_MIN; the server says so too */}
            required
          />
        </div>
      </div>
      <p className={HINT}>Your other sessions are signed out; this one stays signed in.</p>
      {error ? (
        <p role="alert" className={ERROR}>
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {done}
        </p>
      ) : null}
      <button type="submit" className={PRIMARY} disabled={busy || !current || !next}>
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
