// What the sign-in page says for next-auth's error codes (from ?error= or signIn()'s answer).
// The credentials provider reports throttling as "TooManyAttempts:<seconds>".
import type { ApiIssue } from "../api-client";

export function retryMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/** "30 seconds" under a minute (sign-in back-off starts at 30 s), else whole minutes rounded up. */
function retryIn(seconds: number): string {
  if (seconds < 60) {
    const s = Math.max(1, seconds);
    return `${s} ${s === 1 ? "second" : "seconds"}`;
  }
  const minutes = retryMinutes(seconds);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  const throttled = /^TooManyAttempts(?::(\d+))?$/.exec(code);
  if (throttled) {
    if (!throttled[1]) return "Too many failed sign-ins, try again later.";
    return `Too many failed sign-ins, try again in ${retryIn(Number(throttled[1]))}.`;
  }
  switch (code) {
    case "CredentialsSignin":
      return "Wrong email or password.";
    case "OAuthAccountNotLinked":
      return "An account with this email already exists. Sign in with your email and password instead; accounts are not linked automatically.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthCreateAccount":
    case "Callback":
      return "Signing in with that provider did not work. Try again, or use your email and password.";
    case "AccessDenied":
      return "Sign-in was refused.";
    case "SessionRequired":
      return "Please sign in to see that page.";
    case "Configuration":
      return "Sign-in is not configured correctly on this server. Ask its administrator.";
    default:
      return "Sign-in failed. Try again.";
  }
}

/** Sign-up's fields, as the API's issues name them (path[0]). */
export type SignUpField = "name" | "email" | "password";

/**
 * The API's issues for a sign-up, by field: "password must be at least…" is said as "Must be at least…"
 * under the password box. Issues naming no form field, and errors without issues, go to `form`.
 */
export function signUpErrors(error: { message: string; issues: readonly ApiIssue[] }): {
  fields: Partial<Record<SignUpField, string>>;
  form: string | null;
} {
  if (error.issues.length === 0) return { fields: {}, form: error.message };
  const fields: Partial<Record<SignUpField, string>> = {};
  const rest: string[] = [];
  for (const { path, message } of error.issues) {
    const field = path[0];
    if (field === "name" || field === "email" || field === "password") {
      const text = message.replace(new RegExp(`^${field}\\s+`, "i"), "");
      const line = `${text[0]?.toUpperCase() ?? ""}${text.slice(1)}`;
      fields[field] = fields[field] ? `${fields[field]}\n${line}` : line;
    } else rest.push(message);
  }
  return { fields, form: rest.length ? rest.join("\n") : null };
}
