// The only module that reads process.env. Every limit is a variable with a documented default
// (README "Configuration"); a bad value stops start-up with a message that names the variable.
import { z } from "zod";
import { parseSubnets } from "./net/address";

const bool = z.enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""]).transform((v) => ["1", "true", "yes", "on"].includes(v));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "7d", "12h", "30m", "45s" or a number of seconds → milliseconds. */
const duration = z.string().transform((v, ctx) => {
  const m = /^(\d+)\s*(d|h|m|s)?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: "custom", message: 'must be a duration such as "7d", "12h", "30m", "45s" or seconds' });
    return z.NEVER;
  }
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[(m[2] ?? "s") as "d" | "h" | "m" | "s"];
  const ms = Number(m[1]) * unit;
  if (ms < 1000 || ms > 3650 * 86_400_000) {
    ctx.addIssue({ code: "custom", message: "must be between 1 second and 10 years" });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://")
  .transform((u) => u.replace(/\/+$/, ""));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .refine((u) => /^(postgres(ql)?:\/\/|file:)/.test(u), "must be postgres://…, postgresql://… or file:…")
    .optional(),
  PUBLIC_URL: httpUrl.optional(),
  /** Base for capture URLs when captures are served from another origin (see CAPTURE_PORT). */
  CAPTURE_PUBLIC_URL: httpUrl.optional(),
  /** Optional second listener that serves only the capture door (its own origin). */
  CAPTURE_PORT: int(0, 65535).optional(),
  SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Key material for sealing saved webhook signing secrets; derived from SECRET (or the generated secret) when unset. */
  SIGNATURE_SECRETS_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  MAX_BODY_BYTES: int(0, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Number of reverse proxies in front whose X-Forwarded-For entries are trusted (true = 1). */
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v, ctx) => {
      if (["false", "0", "no", "off", ""].includes(v)) return 0;
      if (["true", "yes", "on"].includes(v)) return 1;
      const n = Number(v);
      if (Number.isInteger(n) && n > 0 && n < 32) return n;
      ctx.addIssue({ code: "custom", message: "must be true, false or a number of proxy hops (1-31)" });
      return z.NEVER;
    }),
  /**
   * Longest one body's regex redaction may run in a redaction worker (lib/redaction/regex-pool.ts);
   * past it the worker is replaced and the body withheld (fails closed).
   */
  REDACTION_DEADLINE_MS: int(50, 60_000).default(1000),
  /** Redaction worker threads per serving thread (the app's and the capture door's). */
  REDACTION_WORKERS: int(1, 16).default(1),
  /** Longest a sender waits, from its first byte, for its capture to commit before a 503. */
  INGEST_DEADLINE_MS: int(100, 60_000).default(3000),
  /** Captures waiting to commit at once; above it senders get an immediate 503. */
  INGEST_MAX_INFLIGHT: int(1, 100_000).default(2048),
  /**
   * Body bytes held in memory by captures in flight (read, waiting to commit); a capture that would
   * pass it is answered 503 server_busy with Retry-After and not stored. 0 = no bound.
   */
  INGEST_MAX_BUFFER_BYTES: int(0, 64 * 1024 * 1024 * 1024).default(128 * 1024 * 1024),
  /** Most captures one commit groups together. */
  INGEST_BATCH_MAX: int(1, 1000).default(256),
  HEADERS_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(30_000),
  MAX_HEADER_BYTES: int(1024, 1024 * 1024).default(16 * 1024),
  /** Longest response delay a response rule may ask for. */
  MAX_RESPONSE_DELAY_MS: int(0, 30_000).default(30_000),
  SSE_KEEPALIVE_MS: int(1000, 300_000).default(15_000),
  SSE_MAX_PER_ENDPOINT: int(1, 10_000).default(100),
  /** A live stream is closed after this long (clients resume with Last-Event-ID); 0 = never. */
  SSE_MAX_AGE_MS: int(0, 86_400_000).default(0),
  /** Endpoints created without an account expire after this long (with their captures). */
  ANON_ENDPOINT_TTL: duration.default(7 * 86_400_000),
  /** Clearing an endpoint with more captures than this runs as a job (202 + the job); fewer are cleared at once. */
  CLEAR_JOB_THRESHOLD: int(0, 1_000_000_000).default(10_000),
  /** Captures deleted per statement by clears, purges and the expiry sweeper (lib/jobs/purge.ts). */
  PURGE_BATCH_ROWS: int(1, 100_000).default(1000),
  /** Pause between two such statements (ms), so capture commits get the write lock in between. */
  PURGE_PAUSE_MS: int(0, 10_000).default(5),
  /** Default lifetime of a share link (the creator may pick a shorter or longer one, up to 1 year). */
  SHARE_LINK_TTL: duration.default(7 * 86_400_000),
  /** Lifetime of a workspace invite link. */
  INVITE_TTL: duration.default(7 * 86_400_000),
  /** false: only invited or OAuth users get accounts (sign-up with a password is refused). */
  SIGNUP_ENABLED: bool.default(true),
  /** Password sign-ups from one client address per hour (new or taken email alike); 0 = no limit. */
  SIGNUP_MAX_PER_ADDRESS: int(0, 1_000_000).default(20),
  /** Endpoints one client address may create per ENDPOINT_CREATE_WINDOW_S (signed in or not); 0 = no limit. */
  ENDPOINT_CREATE_LIMIT: int(0, 100_000_000).default(120),
  ENDPOINT_CREATE_WINDOW_S: int(1, 30 * 86_400).default(600),
  /** Largest JSON body an API route reads (replay routes derive theirs from MAX_BODY_BYTES); 413 above it. */
  API_MAX_JSON_BYTES: int(1024, 1024 * 1024 * 1024).default(1024 * 1024),
  /** OAuth sign-in, each enabled when both of its variables are set. */
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  GOOGLE_ID: z.string().min(1).optional(),
  GOOGLE_SECRET: z.string().min(1).optional(),
  /** Any OpenID Connect issuer (Keycloak, Auth0, Okta, Authentik…): its issuer URL. */
  OIDC_ISSUER: httpUrl.optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("Single sign-on"),
  SQLITE_SYNCHRONOUS: z.enum(["FULL", "NORMAL"]).default("FULL"),
  /** Private ranges replays and forwards may reach (CIDRs, comma- or space-separated); metadata addresses stay refused. */
  ALLOWED_FORWARD_SUBNETS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      try {
        return parseSubnets(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Replays and forwards: time to connect (DNS, TCP, TLS), and for the whole exchange. */
  FORWARD_CONNECT_TIMEOUT_MS: int(100, 60_000).default(5000),
  FORWARD_TIMEOUT_MS: int(1000, 300_000).default(15_000),
  /**
   * How long a claimed forwarding job is held by the instance sending it (unset: FORWARD_TIMEOUT_MS + 30 s).
   * Another instance takes it over once it ends (the holder crashed). At least the longer of FORWARD_TIMEOUT_MS and
   * FORWARD_CONNECT_TIMEOUT_MS + 1 s, so a
   * send has always timed out before its lease ends (parseConfig checks).
   */
  FORWARD_LEASE_MS: int(2000, 3_600_000).optional(),
  /**
   * How long a running bulk job (lib/jobs/runner.ts) is held by the instance running it without a renewal; the holder
   * renews it with every progress write and every third of it. Another instance resumes the job once it ends (the
   * holder died).
   */
  JOB_LEASE_MS: int(1000, 3_600_000).default(30_000),
  /** How often the forwarding catch-up (captures of enabled rules with no job) runs, on one instance of a cluster. */
  FORWARD_CATCHUP_MS: int(1000, 3_600_000).default(60_000),
  /**
   * Cluster mode (several instances on one PostgreSQL): live captures, invalidations, rate limits and the
   * sweeper's lock go through this Redis (docs/architecture.md, "Several instances"). Unset: one instance.
   */
  REDIS_URL: z
    .string()
    .refine((u) => /^rediss?:\/\//.test(u), "must be redis://… or rediss://…")
    .optional(),
  /** Prefix of every Redis key and channel, so several deployments (or tests) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/, "letters, digits and : . _ - only (at most 64)")
    .default("hookscope:"),
  /** Turns on GET /metrics (Prometheus text), answered only with `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  NEXT_DEV: bool.default(false),
});

export type Config = z.infer<typeof schema> & { publicUrl: string; captureBaseUrl: string };

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable (PORT=) means "not set": the default applies, not 0.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(given);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = result.data;
  const minLease = Math.max(c.FORWARD_TIMEOUT_MS, c.FORWARD_CONNECT_TIMEOUT_MS) + 1000;
  if (c.FORWARD_LEASE_MS !== undefined && c.FORWARD_LEASE_MS < minLease) {
    throw new ConfigError(
      `Invalid configuration:\n  FORWARD_LEASE_MS: must be at least ${minLease} (the send's timeout + 1000): a send must time out before its lease ends`,
    );
  }
  const publicUrl = c.PUBLIC_URL ?? `http://localhost:${c.PORT}`;
  return { ...c, publicUrl, captureBaseUrl: c.CAPTURE_PUBLIC_URL ?? publicUrl };
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
