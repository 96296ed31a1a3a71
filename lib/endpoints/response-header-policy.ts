// Which headers a response rule may send, and where. A capture URL is served on the dashboard's
// origin by default (one listener), so a rule's headers act on the dashboard: anything that
// changes how a browser treats the whole origin (cookies, site data, HSTS, reporting, policies,
// redirects elsewhere) would let any visitor who owns an endpoint act on signed-in users. So the
// shared origin gets an ALLOW-LIST of headers that only describe this one response. Headers that
// act on an origin are sent only from a capture origin of its own (CAPTURE_PORT listener with a
// CAPTURE_PUBLIC_URL on another origin, and a request addressed to that host). A few are never
// sent: framing is Node's job, and the rest persist in the browser beyond the response or
// reach the dashboard even from another origin (cookies are per site, not per origin).

/** Where a rule's response is served. */
export interface ServingOrigin {
  /** true: a capture origin of its own (not the dashboard's); false: the dashboard's origin. */
  own: boolean;
  /** Strict-Transport-Security covers a host on every port (and subdomains): only when the dashboard's host is neither. */
  hostOfItsOwn: boolean;
  /** Hookscope's own origins (dashboard, capture base): where a Location may point on the shared origin. */
  sameOrigins: readonly string[];
}

export type HeaderVerdict = { send: true } | { send: false; reason: string; ownOriginAllows: boolean };

const SEND: HeaderVerdict = { send: true };
const never = (reason: string): HeaderVerdict => ({ send: false, reason, ownOriginAllows: false });

// Never sent, on any origin.
const FRAMING = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "trailer",
  "te",
  "proxy-connection",
]);
const ALWAYS_REFUSED: Record<string, string> = {
  "set-cookie": "cookies are scoped to a site, not an origin: a capture URL must never set them",
  "set-cookie2": "cookies are scoped to a site, not an origin: a capture URL must never set them",
  nel: "it makes browsers report on every later request to the origin, to an address the rule chooses",
  "report-to": "it makes browsers report on every later request to the origin, to an address the rule chooses",
  "reporting-endpoints": "it makes browsers send reports about the origin to an address the rule chooses",
  "service-worker-allowed": "it lets a script served by one endpoint control every capture URL on the origin",
  "alt-svc": "it redirects the browser's later connections to the whole origin elsewhere",
};
/** Proxies act on these (nginx internal redirects, sendfile from the server's disk). */
const PROXY_PREFIXES = ["x-accel-", "x-sendfile", "x-lighttpd-send-file", "x-reproxy-"];

// Sent on the shared origin: they describe this response only.
const SHARED_OK = new Set([
  "content-type",
  "content-language",
  // A rule can already serve any bytes under any path (a download named by the URL); this only names it.
  "content-disposition",
  "content-encoding",
  "cache-control",
  "expires",
  "pragma",
  "etag",
  "last-modified",
  "vary",
  "age",
  "date",
  "retry-after",
  "allow",
  "accept-patch",
  "accept-post",
  "accept-ranges",
  "server",
  "deprecation",
  "sunset",
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  // CORS without credentials: another site may read this response (the rule's own content), never with cookies.
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
]);

/** Link relations that only describe (pagination, documents); any other (preload, stylesheet…) makes the browser fetch. */
const DESCRIPTIVE_RELS = new Set([
  "next",
  "prev",
  "previous",
  "first",
  "last",
  "self",
  "up",
  "related",
  "alternate",
  "canonical",
  "describedby",
  "help",
  "license",
  "author",
  "item",
  "collection",
  "edit",
  "edit-media",
  "via",
  "type",
  "profile",
]);
/** Challenges a browser answers itself with a password prompt (or single sign-on) on the origin. */
const TOKEN_SCHEMES = new Set(["bearer", "dpop"]);

/** Why well-known origin-wide headers are kept off the shared origin (the rest get a general reason). */
const OWN_ONLY_REASONS: Record<string, string> = {
  "strict-transport-security": "makes browsers use only HTTPS for the whole host, for as long as it says",
  "clear-site-data": "clears the browser's data for the whole origin",
  "content-security-policy": "replaces the sandbox policy that keeps a rule's content from running on the origin",
  "permissions-policy": "sets what the origin's pages may use",
  "access-control-allow-credentials": "lets other sites read responses sent with the visitor's credentials",
  refresh: "can send the visitor to another origin",
};

const ownOnly = (name: string, why: string): HeaderVerdict => ({
  send: false,
  reason: `${name} ${why}, and capture URLs share the dashboard's origin here`,
  ownOriginAllows: true,
});

/** The decision for one header of a rule, served at `at`. Names are compared case-insensitively. */
export function decideResponseHeader(name: string, value: string, at: ServingOrigin): HeaderVerdict {
  const n = name.toLowerCase();
  if (FRAMING.has(n)) return never(`${name} is framing, which the server sets itself`);
  const always = ALWAYS_REFUSED[n];
  if (always) return never(`${name} is never sent: ${always}`);
  if (n.startsWith("x-hookscope-")) return never(`${name} is reserved: X-Hookscope-* headers are Hookscope's own`);
  if (PROXY_PREFIXES.some((p) => n.startsWith(p)))
    return never(`${name} is never sent: reverse proxies act on it (internal redirects, files from disk)`);
  if (n === "clear-site-data" && /"(cookies|\*)"/i.test(value)) {
    return never(
      `${name} with "cookies" or "*" is never sent: cookies belong to the whole site, dashboard included, even from another origin`,
    );
  }
  if (n === "strict-transport-security" && at.own && !at.hostOfItsOwn) {
    return never(`${name} covers a whole host on every port (and its subdomains), and the capture host is the dashboard's (or its parent)`);
  }
  if (at.own) return SEND;
  if (SHARED_OK.has(n) || n.startsWith("x-")) return SEND;
  if (n === "location") {
    return sameOrigin(value, at) ? SEND : ownOnly(name, "points to another origin (an open redirect on the dashboard's host)");
  }
  if (n === "link")
    return onlyDescriptiveLinks(value) ? SEND : ownOnly(name, "with a relation other than pagination or documents makes browsers fetch");
  if (n === "www-authenticate") {
    return tokenChallengesOnly(value) ? SEND : ownOnly(name, "other than Bearer or DPoP makes browsers ask for a password");
  }
  return ownOnly(
    name,
    OWN_ONLY_REASONS[n] ?? "is not on the list of headers that describe only one response (it can act on the whole origin)",
  );
}

/** A Location resolved as browsers do (WHATWG URL: backslashes, tabs, "//host") must land on one of our origins. */
function sameOrigin(value: string, at: ServingOrigin): boolean {
  const base = at.sameOrigins[0];
  if (!base) return false;
  const target = URL.parse(value, `${base}/in/`);
  return target !== null && at.sameOrigins.includes(target.origin);
}

function onlyDescriptiveLinks(value: string): boolean {
  // link-value = "<" URI ">" *( ";" param ); rel may list several relations.
  const rels = [...value.matchAll(/;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/gi)].map((m) => (m[1] ?? m[2] ?? "").toLowerCase());
  const links = value.match(/<[^>]*>/g)?.length ?? 0;
  if (links === 0 || rels.length < links) return false;
  return rels.every(
    (r) =>
      r.trim() !== "" &&
      r
        .trim()
        .split(/\s+/)
        .every((rel) => DESCRIPTIVE_RELS.has(rel)),
  );
}

function tokenChallengesOnly(value: string): boolean {
  // A scheme is a token at the start or after a comma that is not itself "name=value".
  const schemes = [...value.matchAll(/(?:^|,)\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?=\s|$|,)(?!\s*=)/g)].map((m) => m[1]!.toLowerCase());
  return schemes.length > 0 && schemes.every((s) => TOKEN_SCHEMES.has(s));
}

/** The message a 422 gives for a refused header. */
export function refusalMessage(verdict: Exclude<HeaderVerdict, { send: true }>, at: ServingOrigin): string {
  if (!verdict.ownOriginAllows) return `${verdict.reason}.`;
  if (at.own) return `${verdict.reason}.`;
  // (No "; ": the settings form splits the API's message into lines there.)
  return `${verdict.reason}. It is allowed only when captures are served from an origin of their own (CAPTURE_PORT with a CAPTURE_PUBLIC_URL on another origin).`;
}

function originOf(url: string): string | null {
  return URL.parse(url)?.origin ?? null;
}

/** The shared and own-origin views of a configuration (publicUrl, captureBaseUrl, CAPTURE_PORT). */
export function servingOrigins(cfg: { publicUrl: string; captureBaseUrl: string; CAPTURE_PORT?: number | undefined }): {
  shared: ServingOrigin;
  /** null: captures have no origin of their own. */
  own: ServingOrigin | null;
  /** The capture host a request must name to be served as the own origin. */
  captureHost: string | null;
} {
  const dashboard = originOf(cfg.publicUrl);
  const capture = originOf(cfg.captureBaseUrl);
  const sameOrigins = [...new Set([dashboard, capture].filter((o): o is string => o !== null))];
  const shared: ServingOrigin = { own: false, hostOfItsOwn: false, sameOrigins };
  if (cfg.CAPTURE_PORT === undefined || !capture || capture === dashboard) return { shared, own: null, captureHost: null };
  const captureHost = new URL(capture).hostname.toLowerCase();
  const dashboardHost = dashboard ? new URL(dashboard).hostname.toLowerCase() : "";
  const hostOfItsOwn = captureHost !== dashboardHost && !dashboardHost.endsWith(`.${captureHost}`);
  return { shared, own: { own: true, hostOfItsOwn, sameOrigins: [capture] }, captureHost };
}

/** The serving origin of one request: own only on the capture listener, for a request addressed to the capture host. */
export function servingOriginOf(
  origins: ReturnType<typeof servingOrigins>,
  listener: "dashboard" | "capture",
  hostHeader: string | undefined,
): ServingOrigin {
  if (listener !== "capture" || !origins.own || !hostHeader) return origins.shared;
  const host = URL.parse(`http://${hostHeader}`)?.hostname.toLowerCase();
  return host === origins.captureHost ? origins.own : origins.shared;
}
