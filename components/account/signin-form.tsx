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
import { BIG_PRIMARY, INPUT, LABEL } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";

/** next-auth answered, and refused (its message is already the one to show). */
class SignInRefused extends Error {}

interface Props {
  callbackUrl: string;
  providers: OAuthProviderInfo[];
  initialError: string | null;
}

export function SignInForm({ callbackUrl, providers, initialError }: Props) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // The error the page was loaded with (a failed OAuth sign-in), until the form is sent.
  const [initial, setInitial] = useState<string | null>(signInErrorMessage(initialError));
  // Busy stays on after a success: the browser loads the target.
  const signin = useMutation(
    async () => {
      const res = await signIn("credentials", { redirect: false, email, password, callbackUrl });
      if (!res || res.error || !res.ok) throw new SignInRefused(signInErrorMessage(res?.error ?? "Default") ?? "");
      window.location.assign(callbackUrl);
    },
    (err) => (err instanceof SignInRefused ? err.message : "Could not reach the server. Try again."),
    { stayBusy: true },
  );
  const { busy } = signin;

  function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setInitial(null);
    void signin.run();
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
        <FormError error={signin.error ?? initial} />
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
