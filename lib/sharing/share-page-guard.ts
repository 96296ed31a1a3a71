// The share page (/s/<token>) is a Next.js page, and a page cannot choose its status code. An
// address over the limit for unknown share links is answered here instead, on the app socket
// before Next.js: 429 with Retry-After, like the share's JSON form (/api/share/<token>).
import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_IP_HEADER } from "../auth/client-ip";
import { shareGuessesLimited } from "./share-links";
import { sharePageToken } from "./share-path";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Too many attempts · Hookscope</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:20vh auto;padding:0 1.5rem;color:#18181b}@media (prefers-color-scheme:dark){body{background:#09090b;color:#e4e4e7}}h1{font-size:1.125rem}</style>
</head><body><main><h1>Too many attempts</h1>
<p role="alert">Too many share links that are not valid were opened from this address. Wait a minute and try again.</p>
</main></body></html>
`;

/** Whether the request is for a share page (only those are checked by refuseLimitedSharePage). */
export function isSharePage(req: IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && sharePageToken(req.url ?? "") !== null;
}

/** Answers 429 (and resolves true) for a share page requested from an address over the limit. */
export async function refuseLimitedSharePage(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (!isSharePage(req)) return false;
  const ip = req.headers[CLIENT_IP_HEADER];
  const retryAfter = await shareGuessesLimited(typeof ip === "string" ? ip : null);
  if (retryAfter === null) return false;
  res.writeHead(429, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(PAGE),
    "Retry-After": String(retryAfter),
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
  res.end(req.method === "HEAD" ? undefined : PAGE);
  return true;
}
