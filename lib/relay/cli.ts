// `hookscope listen`: relays an endpoint's captures to a local server, byte-exact. It follows the
// endpoint's live stream (SSE; resumed with Last-Event-ID after a drop, `--since <seq>` to start
// from an earlier capture), fetches each capture's headers and exact body, and sends them to the
// --to URL with the capture's method, sub-path and query, one delivery at a time, in order.
//
// The delivery is deliberately NOT SSRF-guarded: the CLI runs on the user's machine and delivers
// where its user said (usually localhost). Runs on Node through tsx (bin/hookscope.mjs).
//
// Authentication: an API token (`hs_tok_…`, sent as `Authorization: Bearer`) reads the exact
// capture (`?reveal=1`, audited). A share token (`hs_shr_…`, or a share URL …/s/hs_shr_…) follows
// /api/share/<token>/stream instead, and share views are MASKED: secret headers are left out of
// the delivery and masked body values stay masked, so prefer an API token.
import { parseArgs } from "node:util";
import { ListenError } from "./access";
import { parseEndpointRef, resolveCaptureKey } from "./endpoint-ref";
import { runListen } from "./listen";

// ---------------------------------------------------------------------------------------------
// Command line

export const USAGE = `Usage: hookscope listen <endpoint URL or id> --to <local URL> [options]

Relays every new capture of a Hookscope endpoint to a local server, byte-exact
(method, sub-path, query, headers in order, body), one line per delivery.

  <endpoint>        the endpoint's dashboard URL (https://hookscope.example/e/ep_…),
                    its capture URL (…/in/<token>), its id (ep_…), or a share
                    link (…/s/hs_shr_…)
  --to <url>        where to deliver, e.g. http://localhost:3000/webhooks
  --server <url>    Hookscope's URL (default: from the endpoint URL, else
                    $HOOKSCOPE_SERVER, else http://localhost:3000)
  --token <token>   API token hs_tok_… (default: $HOOKSCOPE_TOKEN); a share
                    token hs_shr_… also works, but share links deliver MASKED
                    data (secret headers left out, masked body values)
  --since <seq>     first deliver the captures after this sequence number
                    (those made while the relay was stopped)
  --timeout <ms>    per delivery (default 30000)
`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  signal: AbortSignal;
  fetch?: typeof fetch;
}

/** The `hookscope` command; resolves to the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: "string" },
        server: { type: "string" },
        token: { type: "string" },
        since: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    io.err(`hookscope: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === "help") {
    io.out(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const [command, ref, ...extra] = positionals;
  const usage = (message: string) => {
    io.err(`hookscope: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (command !== "listen") return usage(`unknown command ${JSON.stringify(command)}`);
  if (!ref || extra.length) return usage("give exactly one endpoint URL or id");
  if (!values.to) return usage("--to is required");
  try {
    const to = new URL(values.to);
    if (to.protocol !== "http:" && to.protocol !== "https:") return usage("--to must be an http:// or https:// URL");
  } catch {
    return usage("--to must be an http:// or https:// URL");
  }
  const since = values.since === undefined ? null : /^\d+$/.test(values.since) ? Number(values.since) : NaN;
  if (Number.isNaN(since)) return usage("--since must be a capture sequence number (0 or more)");
  const timeoutMs = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) return usage("--timeout must be a number of milliseconds (100 or more)");
  try {
    const endpoint = parseEndpointRef(ref, values.server, io.env);
    const token = endpoint.shareToken ?? values.token ?? io.env.HOOKSCOPE_TOKEN;
    const endpointId = await resolveCaptureKey(endpoint, token, io.fetch);
    await runListen(
      { server: endpoint.server, endpointId, to: values.to, token, since, timeoutMs, fetch: io.fetch },
      { signal: io.signal, log: io.out },
    );
    return 0;
  } catch (err) {
    if (err instanceof ListenError) {
      io.err(`hookscope: ${err.message}`);
      return 1;
    }
    io.err(`hookscope: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
