import { getHeader } from "./compare";
import { type DiagnoseContext, type Diagnosis, fixes, type Recheck } from "./diagnosis";
import type { ProviderSpec, ProviderVerifyInput, SchemeDetails, TimestampSource } from "./provider";
import type { HeaderList, VerifyResult } from "./types";

// ---------------------------------------------------------------------------------------------------------------
// timestamp_units

function readTimestampText(headers: HeaderList, source: TimestampSource): string | null {
  const raw = getHeader(headers, source.header);
  if (raw === null) return null;
  if (source.param === undefined) return raw.trim();
  for (const item of raw.split(source.param.separator)) {
    const eq = item.indexOf("=");
    if (eq >= 0 && item.slice(0, eq).trim() === source.param.key) return item.slice(eq + 1).trim();
  }
  return null;
}

function writeTimestampText(headers: HeaderList, source: TimestampSource, value: string): HeaderList {
  const lower = source.header.toLowerCase();
  let done = false;
  return headers.map(([n, v]) => {
    if (done || n.toLowerCase() !== lower) return [n, v] as const;
    done = true;
    if (source.param === undefined) return [n, value] as const;
    const { key, separator } = source.param;
    let replaced = false;
    const items = v.split(separator).map((item) => {
      const eq = item.indexOf("=");
      if (!replaced && eq >= 0 && item.slice(0, eq).trim() === key) {
        replaced = true;
        return `${item.slice(0, eq + 1)}${value}`;
      }
      return item;
    });
    return [n, items.join(separator)] as const;
  });
}

const UNIT_WORDS = { s: "seconds", ms: "milliseconds" } as const;

/** The signature was computed over the timestamp in the other unit than the one sent. */
export function timestampRewritten(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const source = ctx.scheme.timestampSource;
  if (source === null) return null;
  const text = readTimestampText(ctx.input.headers, source);
  if (text === null || !/^\d{1,16}$/.test(text)) return null;
  const looksMs = text.length >= 12;
  const other = looksMs ? String(Math.floor(Number(text) / 1000)) : `${text}000`;
  if (fixes(recheck({ headers: writeTimestampText(ctx.input.headers, source, other) }))) {
    const sent = looksMs ? "ms" : "s";
    const signed = looksMs ? "s" : "ms";
    return {
      code: "timestamp_units",
      message:
        `The signature matches when the timestamp is ${other} (${UNIT_WORDS[signed]}) instead of ${text} as sent ` +
        `(${UNIT_WORDS[sent]}): the sender signed the timestamp in one unit and sent it in another. Sign and send the very same ` +
        `timestamp text, in ${ctx.scheme.timestampUnit === "ms" ? "milliseconds" : "seconds"}.`,
      detail: { sent: text, signed: other, sentUnit: sent, signedUnit: signed },
    };
  }
  return null;
}

/** The timestamp is outside the window, but would be inside it read in the other unit. */
export function timestampValueUnits(
  spec: ProviderSpec,
  scheme: SchemeDetails,
  input: ProviderVerifyInput,
  result: VerifyResult,
): Diagnosis | null {
  const ts = result.timestamp;
  if (ts.withinTolerance !== false || ts.value === null) return null;
  const unit = scheme.timestampUnit;
  if (unit !== "s" && unit !== "ms") return null;
  const tolerance = input.toleranceSeconds ?? scheme.toleranceSeconds ?? 300;
  const nowS = input.now / 1000;
  const sentRaw = unit === "ms" ? ts.value * 1000 : ts.value;
  // value is in seconds as the verifier read it; the sender may have meant the other unit.
  const reread: [number, "s" | "ms"][] = unit === "s" ? [[ts.value / 1000, "ms"]] : [[ts.value * 1000, "s"]];
  for (const [seconds, sentUnit] of reread) {
    const skew = nowS - seconds;
    if (Math.abs(skew) <= tolerance) {
      return {
        code: "timestamp_units",
        message:
          `The timestamp ${sentRaw} looks like ${UNIT_WORDS[sentUnit]}, but ${spec.name} expects ${UNIT_WORDS[unit]}. Read in ` +
          `${UNIT_WORDS[sentUnit]} it is ${Math.round(Math.abs(skew))} s ${skew >= 0 ? "old" : "in the future"}, inside the ` +
          `${tolerance} s window, so the delivery is fresh: the sender writes the timestamp in the wrong unit.`,
        detail: { sent: sentRaw, sentUnit, expectedUnit: unit, skewSeconds: Math.round(skew) },
      };
    }
  }
  return null;
}
