"use client";
// Creates the account (POST /api/auth/signup, which also claims this browser's anonymous
// endpoints), then signs in through next-auth's credentials provider.
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useId, useState } from "react";
import { issuesOf } from "../api-client";
import { ApiError, errorMessage, sendJson } from "./api";
import { OAuthButtons, type OAuthProviderInfo } from "./oauth-buttons";
import { withCallback } from "../../lib/http/safe-callback";
import { signInErrorMessage, signUpErrors, type SignUpField } from "./signin-error";
import { BIG_PRIMARY, ERROR, HINT, INPUT, LABEL } from "../ui/classes";
import { FieldError } from "../ui/form-message";

const PASSWORD_MIN = 8;

export function SignUpForm({ callbackUrl, providers }: { callbackUrl: string; providers: OAuthProviderInfo[] }) {
  const id = useId();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<React.ReactNode>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<SignUpField, string>>>({});
  const [busy, setBusy] = useState(false);

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await sendJson("POST", "/api/auth/signup", { name, email, password });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "email_taken") {
        setError(
          <>
            An account with this email already exists.{" "}
            <Link href={withCallback("/signin", callbackUrl)} className="font-medium underline">
              Sign in instead
            </Link>
            .
          </>,
        );
      } else {
        const { fields, form } = signUpErrors({ message: errorMessage(err), issues: issuesOf(err) });
        setFieldErrors(fields);
        setError(form);
      }
      return;
    }
    const res = await signIn("credentials", { redirect: false, email, password, callbackUrl }).catch(() => undefined);
    if (!res || res.error || !res.ok) {
      setBusy(false);
      setError(`Your account was created, but signing in failed: ${signInErrorMessage(res?.error ?? "Default")}`);
      return;
    }
    window.location.assign(callbackUrl);
  }

  return (
    <div className="space-y-5">
      <form onSubmit={submit} className="space-y-4" aria-label="Sign up">
        <div className="space-y-1">
          <label htmlFor={`${id}-name`} className={LABEL}>
            Name
          </label>
          <input
            id={`${id}-name`}
            autoComplete="name"
            required
            maxLength={120}
            className={`${INPUT} w-full`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={fieldErrors.name ? true : undefined}
            aria-describedby={fieldErrors.name ? `${id}-name-error` : undefined}
          />
          <FieldError id={`${id}-name-error`} label="Name" message={fieldErrors.name} />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-email`} className={LABEL}>
            Email
          </label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            className={`${INPUT} w-full`}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={fieldErrors.email ? true : undefined}
            aria-describedby={fieldErrors.email ? `${id}-email-error` : undefined}
          />
          <FieldError id={`${id}-email-error`} label="Email" message={fieldErrors.email} />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-password`} className={LABEL}>
            Password
          </label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN}
            maxLength={256}
            aria-describedby={fieldErrors.password ? `${id}-password-error ${id}-password-help` : `${id}-password-help`}
            aria-invalid={fieldErrors.password ? true : undefined}
            className={`${INPUT} w-full`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FieldError id={`${id}-password-error`} label="Password" message={fieldErrors.password} />
          <p id={`${id}-password-help`} className={HINT}>
            At least {PASSWORD_MIN} characters.
          </p>
        </div>
        {error ? (
          <p role="alert" className={ERROR}>
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} className={`${BIG_PRIMARY} w-full`}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href={withCallback("/signin", callbackUrl)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
