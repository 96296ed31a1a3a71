// Where to go after signing in or up. Only a relative path on this site is followed; anything
// else (absolute URLs, protocol-relative "//host", backslash tricks, control characters) falls
// back to "/", so a crafted link cannot bounce a fresh session to another site.
const BASE = "http://hookscope.invalid";

export function safeCallbackUrl(raw: string | string[] | null | undefined, fallback = "/"): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refuses control characters in the callback URL
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A link to a sign-in or sign-up page that comes back to `path` afterwards. */
export function withCallback(page: "/signin" | "/signup", path: string): string {
  const target = safeCallbackUrl(path);
  return target === "/" ? page : `${page}?${new URLSearchParams({ callbackUrl: target })}`;
}
