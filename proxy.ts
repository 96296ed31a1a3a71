// Content-Security-Policy for dashboard pages (not /api, not static assets; /in/ never reaches Next).
// Scripts: a fresh nonce per request plus 'strict-dynamic', so only Next's own scripts (which it
// tags with the nonce it reads from this request header) and what they load can run; inline or
// injected scripts cannot. Styles allow 'unsafe-inline': the list's virtualizer positions rows with
// style attributes, and captured data is only ever rendered as text, so it cannot inject CSS.
import { NextResponse, type NextRequest } from "next/server";

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The replay workbench's "Send from browser" fetches the user's own targets (http://localhost:…,
    // staging) straight from the page, so connections may go to any http(s) origin. Scripts stay
    // nonce-locked, so only the dashboard's own code can make them; captured data is never script.
    "connect-src 'self' http: https:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  // A NUL (only ever %00 in a request line) in a page's path or query would reach the database as text, which
  // PostgreSQL refuses (a 500 page); API routes refuse it in lib/http/route.ts.
  if (/%00/i.test(request.nextUrl.pathname + request.nextUrl.search)) {
    return new NextResponse("Bad request: the address contains a NUL character (%00).\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "same-origin");
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|healthz|in/).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
