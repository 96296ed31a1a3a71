// next-auth (v4) answers 500 for some callback URLs it cannot parse: a callbackUrl that is neither a path nor an
// absolute http(s) URL ("%", "%zz", "http://[", "http://x:99999", a NUL…) in a form body makes its redirect callback
// throw a TypeError, and the same in the query or in its callback-url cookie fails its configuration check
// ("There is a problem with the server configuration"). A JSON body that does not parse throws too. The auth route
// checks these before next-auth sees the request (refuseMalformedAuthRequest) and answers a 400 that says what is
// wrong; a bad callback-url cookie is also cleared, since the browser would send it again. Values next-auth accepts
// are passed through untouched: it sends cross-origin ones to the base URL itself, and our pages only ever give it
// paths (components/account/safe-callback.ts).
import type { NextRequest } from "next/server";
import { AppError } from "../errors";
import { readTextCapped } from "./read-json";
import { assertNoNulInJson } from "./text-input";

/** Longer ones are refused: next-auth stores the value in a cookie, and a huge cookie makes every later request a 431. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/** next-auth's names for its callback-url cookie (plain and with secure cookies). */
export const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"] as const;

/** Why next-auth could not use `value` as a callback URL, or null when it can. */
export function callbackUrlProblem(value: string): string | null {
  if (value.length > MAX_CALLBACK_URL_LENGTH) return `is longer than ${MAX_CALLBACK_URL_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the check exists to refuse control characters
  if (/[\u0000-\u001f\u007f]/.test(value)) return "contains a control character";
  if (value.startsWith("/")) return URL.canParse(value, "http://localhost") ? null : "is not a valid path";
  const url = URL.parse(value);
  if (url === null) return "is neither a path (/…) nor an absolute http(s) URL";
  if (url.protocol !== "http:" && url.protocol !== "https:") return "is not an http(s) URL";
  return null;
}

const bad = (where: string, problem: string) => new AppError("invalid_callback_url", `${where} ${problem}.`);

/** The 400 to answer instead of letting next-auth fail with a 500, or null when the request is fine for it. */
export async function refuseMalformedAuthRequest(req: NextRequest): Promise<{ error: AppError; clearCookie: string | null } | null> {
  for (const value of req.nextUrl.searchParams.getAll("callbackUrl")) {
    const problem = callbackUrlProblem(value);
    if (problem) return { error: bad("The callbackUrl query parameter", problem), clearCookie: null };
  }
  if (req.method === "POST") {
    const type = req.headers.get("content-type") ?? "";
    let fields: Record<string, unknown> | null = null;
    // Read with the API's byte cap (a copy: next-auth reads the request itself), so an oversized body is a 413 here.
    let text: string;
    try {
      text = await readTextCapped(req.clone());
    } catch (err) {
      if (err instanceof AppError) return { error: err, clearCookie: null };
      throw err;
    }
    if (type.includes("application/json")) {
      try {
        const parsed: unknown = JSON.parse(text || "{}");
        fields = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
      } catch {
        return { error: new AppError("invalid_json", "The request body is not valid JSON."), clearCookie: null };
      }
    } else if (type.includes("application/x-www-form-urlencoded")) {
      fields = Object.fromEntries(new URLSearchParams(text));
    }
    if (fields) {
      // The credentials' email reaches a text column: a NUL there is refused as in every JSON body.
      try {
        assertNoNulInJson(fields);
      } catch (err) {
        return { error: err as AppError, clearCookie: null };
      }
      const value = fields.callbackUrl;
      if (value !== undefined) {
        const problem = typeof value === "string" ? callbackUrlProblem(value) : "is not a string";
        if (problem) return { error: bad("callbackUrl", problem), clearCookie: null };
      }
    }
  }
  for (const name of CALLBACK_URL_COOKIES) {
    const value = req.cookies.get(name)?.value;
    const problem = value === undefined ? null : callbackUrlProblem(value);
    if (problem) return { error: bad(`The ${name} cookie`, `${problem}; it has been cleared, try again`), clearCookie: name };
  }
  return null;
}
