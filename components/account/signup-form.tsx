"use client";
// Creates the account (POST /api/auth/signup, which also claims this browser's anonymous
// endpoints), then signs in through next-auth's credentials provider.
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useId, useState } from "react";
import { ApiError, errorMessage, sendJson } from "./api";
import { OAuthButtons, type OAuthProviderInfo } from "./oauth-buttons";
import { withCallback } from "../../lib/http/safe-callback";
import { signInErrorMessage, signUpErrors, type SignUpField } from "./signin-error";
import { BIG_PRIMARY, HINT, INPUT, LABEL } from "../ui/classes";
import { FieldError, FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";

/** What the mutation's error is when the email is taken: the form then links to sign-in. */
const EMAIL_TAKEN = "email_taken";

const PASSWORD_MIN = 8;

export function SignUpForm({ callbackUrl, providers }: { callbackUrl: string; providers: OAuthProviderInfo[] }) {
  const id = useId();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // Busy stays on after a success: the browser loads the target.
  const signup = useMutation(
    async () => {
      await sendJson("POST", "/api/auth/signup", { name, email, password });
      const res = await signIn("credentials", { redirect: false, email, password, callbackUrl }).catch(() => undefined);
      if (!res || res.error || !res.ok)
        throw new Error(`Your account was created, but signing in failed: ${signInErrorMessage(res?.error ?? "Default")}`);
      window.location.assign(callbackUrl);
    },
    (err) => (err instanceof ApiError && err.code === "email_taken" ? EMAIL_TAKEN : errorMessage(err)),
    { stayBusy: true },
  );
  const { busy } = signup;
  const emailTaken = signup.error === EMAIL_TAKEN;
  const { fields: fieldErrors, form }: { fields: Partial<Record<SignUpField, string>>; form: string | null } =
    signup.error === null || emailTaken ? { fields: {}, form: null } : signUpErrors({ message: signup.error, issues: signup.issues });

  function submit(ev: React.FormEvent) {
    ev.preventDefault();
    void signup.run();
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
        <FormError
          error={
            emailTaken ? (
              <>
                An account with this email already exists.{" "}
                <Link href={withCallback("/signin", callbackUrl)} className="font-medium underline">
                  Sign in instead
                </Link>
                .
              </>
            ) : (
              form
            )
          }
        />
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
