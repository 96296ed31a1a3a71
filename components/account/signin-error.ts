// What the sign-in page says for next-auth's error codes (from ?error= or signIn()'s answer).
// The credentials provider reports throttling as "TooManyAttempts:<seconds>".

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

/** The API names fields ("password: password must be…"); say it as "Password: must be…", one line each. */
export function readableSignUpError(message: string): string {
  return message
    .split(/; (?=(?:email|password|name): )/)
    .map((part) => {
      const m = /^(email|password|name): (.*)$/s.exec(part);
      if (!m) return part;
      const field = m[1]!;
      const text = m[2]!.replace(new RegExp(`^${field}\\s+`, "i"), "");
      return `${field[0]!.toUpperCase()}${field.slice(1)}: ${text}`;
    })
    .join("\n");
}
