/**
 * Diagnosis of a signature that does not verify: the provider's real verifier is re-run on controlled variations of
 * the request (another saved secret, other secret encodings, the body re-serialised, a trailing newline added or
 * removed, URL variants, the timestamp in other units) and the variation that makes the signature match is reported
 * as the likely cause. A fixed budget bounds the work; no MAC is re-implemented here.
 *
 * Two flags are added without any re-check when the signature does not match: the body length disagrees with
 * Content-Length, and proxy headers (Via, Forwarded, X-Forwarded-*) show the request passed through a proxy.
 */
import { getHeader } from "./compare";
import { bodyReserialized, trailingNewline, urlVariant } from "./diagnose-body";
import { secretEncoding, signatureEncoding } from "./diagnose-encoding";
import { timestampRewritten, timestampValueUnits } from "./diagnose-timestamp";
import {
  type DiagnoseContext,
  type Diagnosis,
  fixes,
  hasBodyHashMismatch,
  MAX_OTHER_SECRETS,
  MAX_RECHECKS,
  type Recheck,
} from "./diagnosis";
import type { ProviderVerifyInput } from "./provider";
import type { HeaderList, VerifyResult } from "./types";

/** Reasons showing the request could not be evaluated at all: no variation can help. */
const STRUCTURAL = new Set(["missing_header", "malformed_header", "missing_url", "unsupported_version"]);

export function diagnose(ctx: DiagnoseContext): Diagnosis[] {
  const { result, spec, scheme, input } = ctx;
  if (result.valid) return [];
  let budget = ctx.maxRechecks ?? MAX_RECHECKS;
  const recheck = (change: Partial<ProviderVerifyInput>): VerifyResult | null => {
    if (budget <= 0) return null;
    budget -= 1;
    try {
      return spec.verify({ ...input, ...change });
    } catch {
      return null;
    }
  };

  const out: Diagnosis[] = [];
  const signatureProblem = !result.signatureMatches || hasBodyHashMismatch(result);
  const structural = result.reasons.some((r) => STRUCTURAL.has(r.code));

  if (signatureProblem && !structural) {
    const checks: (() => Diagnosis | null)[] = [
      () => otherSecret(ctx, recheck),
      ...(ctx.secretGiven
        ? [
            () => signatureEncoding(ctx),
            () => secretEncoding(ctx, recheck),
            // Newline first: a body that differs only by a trailing newline is not "re-serialised".
            () => trailingNewline(ctx, recheck),
            () => bodyReserialized(ctx, recheck),
            () => urlVariant(ctx, recheck),
            () => timestampRewritten(ctx, recheck),
          ]
        : []),
    ];
    // The first variation that matches is the likely cause; later checks would use the same (wrong) inputs.
    for (const check of checks) {
      const found = check();
      if (found !== null) {
        out.push(found);
        break;
      }
    }
  }

  const units = timestampValueUnits(spec, scheme, input, result);
  if (units !== null && !out.some((d) => d.code === "timestamp_units")) out.push(units);

  if (signatureProblem) {
    const cl = contentLengthMismatch(input);
    if (cl !== null) out.push(cl);
    const proxy = proxyTraces(input.headers, scheme.signsUrl);
    if (proxy !== null) out.push(proxy);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// other_secret

function otherSecret(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const tried = new Set<string>([ctx.input.secret]);
  let count = 0;
  for (const c of ctx.otherSecrets ?? []) {
    if (count >= MAX_OTHER_SECRETS) break;
    if (c.secret === "" || tried.has(c.secret)) continue;
    tried.add(c.secret);
    count += 1;
    if (fixes(recheck({ secret: c.secret }))) {
      return {
        code: "other_secret",
        message:
          `The signature matches your other saved secret "${c.label}". The sender signed this delivery with that secret ` +
          `(for example test vs live mode, a CLI secret, or another endpoint's secret). Use "${c.label}" for this check, ` +
          "or configure the sender with the secret you expected.",
        detail: { secretId: c.id, label: c.label },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Flags

function contentLengthMismatch(input: ProviderVerifyInput): Diagnosis | null {
  const declared = getHeader(input.headers, "content-length");
  if (declared === null || !/^\s*\d{1,15}\s*$/.test(declared)) return null;
  const n = Number(declared.trim());
  if (n === input.body.byteLength) return null;
  return {
    code: "content_length_mismatch",
    message:
      `The stored body is ${input.body.byteLength} bytes but Content-Length said ${n}. The body changed between the sender and ` +
      "Hookscope (a proxy or tunnel decoded, re-encoded, re-formatted or cut it), so it cannot be the bytes that were signed. " +
      "Check the hops in between, or send the webhook straight to the capture URL.",
    detail: { declared: n, stored: input.body.byteLength },
  };
}

const PROXY_HEADERS = ["via", "forwarded", "x-real-ip", "x-original-url", "x-original-host"];

function proxyTraces(headers: HeaderList, signsUrl: boolean): Diagnosis | null {
  const names: string[] = [];
  for (const [name] of headers) {
    const n = name.toLowerCase();
    if ((PROXY_HEADERS.includes(n) || n.startsWith("x-forwarded-")) && !names.some((x) => x.toLowerCase() === n)) names.push(name);
    if (names.length >= 8) break;
  }
  if (names.length === 0) return null;
  return {
    code: "proxy_traces",
    message:
      `The request passed through a proxy (${names.join(", ")}). Proxies and tunnels can re-encode the body` +
      (signsUrl ? " or change the URL scheme, host or port that this provider signs" : "") +
      ". If these headers come from your own reverse proxy in front of Hookscope they are expected; otherwise compare " +
      "what the sender signed with what arrived here.",
    detail: { headers: names.join(", ") },
  };
}
