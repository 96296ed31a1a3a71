// The scale benchmark's corpus: realistic webhook requests, generated deterministically from a
// seed. Stripe, GitHub, Shopify and Slack samples with their real header sets (signatures, user
// agents, delivery ids, event types), urlencoded forms, multipart uploads with files, XML, binary
// and gzip-encoded bodies; mostly ~1 KB, some 10-100 KB, a few >= 1 MB; varied methods, paths and
// addresses. The same requests feed the bulk loader (bench/scale/loader.ts) and the sample sent
// through the real capture door (bench/scale/load.ts).
import type { HeaderPairs } from "../../lib/model/capture";

import { formats } from "./formats";
import { gen, prng } from "./gen";
import { senders } from "./senders";

export { prng };

export interface SampleRequest {
  kind: string;
  method: string;
  /** After the token, percent-encoded ("" or "/a/b"). */
  path: string;
  /** Without "?". */
  query: string;
  /** Wire order and case; Content-Length included (the loader stores it, the door recomputes it). */
  headers: HeaderPairs;
  body: Buffer;
  remoteAddr: string;
  /** Stored as a refused oversized request by the loader (empty body, the declared size, 413); never sent. */
  rejected: string | null;
  responseStatus: number;
}

export interface Corpus {
  /** The i-th request (deterministic in the seed and i). */
  next(): SampleRequest;
  /** How many distinct "userNNN" values bodies carry: q=user4242 matches about N / userSpace rows. */
  userSpace: number;
}

export function corpus(n: number, seed = 16): Corpus {
  const g = gen(n, seed);
  const { rand, userSpace } = g;
  const { stripe, github, shopify, slack } = senders(g);
  const { multipart, xml, binary, gzip, generic } = formats(g);
  const kinds: [number, () => SampleRequest][] = [
    [0.25, stripe],
    [0.22, github],
    [0.15, shopify],
    [0.1, slack],
    [0.03, multipart],
    [0.04, xml],
    [0.03, binary],
    [0.06, gzip],
    [0.12, generic],
  ];
  return {
    userSpace,
    next() {
      let r = rand();
      let make = generic;
      for (const [share, fn] of kinds) {
        if (r < share) {
          make = fn;
          break;
        }
        r -= share;
      }
      const req = make();
      // A few refused oversized uploads: the loader stores them as the door does (no body, its size, 413).
      if (rand() < 0.001) return { ...req, rejected: "body_too_large", responseStatus: 413 };
      return req;
    },
  };
}
