// `ip:` in SQL over Capture.remoteAddr (the address as the door saw it: IPv4 dotted, IPv6 text,
// maybe IPv4-mapped "::ffff:a.b.c.d"). An IPv4 CIDR becomes a LIKE on the whole octets its prefix
// fixes (203.0.113.0/24 → "203.0.113.%"), a superset that the confirm step narrows to the exact
// bits; IPv6 text has too many spellings for a prefix, so it only requires a colon.
import type { Predicate } from "../hql/ast";
import { FALSE, type Frag, likeEscape, or } from "./fragment";

type Pair = { sup: Frag; sub: Frag };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function ipCondition(pred: Predicate, like: (pattern: string) => Frag): Pair {
  if (pred.op === "range") return { sup: ["TRUE"], sub: FALSE };
  if (pred.op === "eq") {
    // Written addresses or globs: matched as text (mapped IPv4 too), confirmed in memory.
    const fs = pred.values.flatMap((v) => {
      if (v.kind !== "string" && v.kind !== "number") return [];
      const pattern = (v.kind === "string" && v.glob ? v.text.split("*").map(likeEscape).join("%") : likeEscape(v.text)).toLowerCase();
      return [like(pattern), like(`::ffff:${pattern}`)];
    });
    return { sup: or(fs), sub: FALSE };
  }
  const [addr, bitsText] = pred.cidr.split("/");
  const bits = Number(bitsText ?? (addr?.includes(":") ? 128 : 32));
  const v4 = IPV4.exec(addr ?? "");
  if (!v4) return { sup: like("%:%"), sub: FALSE };
  const octets = v4.slice(1, 5);
  const fixed = Math.floor(Math.min(32, Math.max(0, bits)) / 8);
  const prefix = fixed === 4 ? octets.join(".") : fixed === 0 ? "%" : `${octets.slice(0, fixed).join(".")}.%`;
  return { sup: or([like(prefix), like(`::ffff:${prefix}`)]), sub: FALSE };
}
