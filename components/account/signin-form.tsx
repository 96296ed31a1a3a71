"use client";
// Email and password through next-auth's credentials provider (CSRF token and all), without a
// page redirect so errors stay on this form; then a full load of the target so every server
// component sees the new session.
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useId, useState } from "react";
import { OAuthButtons, type OAuthProviderInfo } from "./oauth-buttons";
import { withCallback } from "../../lib/http/safe-callback";
import { signInErrorMessage } from "./signin-error";
import { BIG_PRIMARY, ERROR, INPUT, LABEL } from "../ui/classes";

interface Props {
  callbackUrl: string;
  providers: OAuthProviderInfo[];
  initialError: string | null;
}

export function SignInForm({ callbackUrl, providers, initialError }: Props) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(signInErrorMessage(initialError));
  const [busy, setBusy] = useState(false);

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await signIn("credentials", { redirect: false, email, password, callbackUrl });
      if (!res || res.error || !res.ok) {
        setError(signInErrorMessage(res?.error ?? "Default"));
        setBusy(false);
        return;
      }
      window.location.assign(callbackUrl);
    } catch {
      setError("Could not reach the server. Try again.");
      setBusy(false);
    }
  }

  return (
    <div className="space-y-5">
      <form onSubmit={submit} className="space-y-4" aria-label="Sign in">
        <div className="space-y-1">
          <label htmlFor={`${id}-email`} className={LABEL}>
            Email
          </label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            required
            className={`${INPUT} w-full`}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-password`} className={LABEL}>
            Password
          </label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            className={`${INPUT} w-full`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? (
          <p role="alert" className={ERROR}>
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} className={`${BIG_PRIMARY} w-full`}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No account yet?{" "}
        <Link href={withCallback("/signup", callbackUrl)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign up
        </Link>
      </p>
    </div>
  );
}
