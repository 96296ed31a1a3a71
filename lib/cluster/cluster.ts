// Cluster mode (REDIS_URL, PostgreSQL): what the instances tell each other through Redis, wired up
// once by server.ts on the main thread. Channels (under REDIS_PREFIX):
// - `captures`: [endpointId, seq] of every committed group, so instances with live streams of those
//   endpoints read them from the database (lib/cluster/live-feed.ts);
// - `forget`: capture tokens and aliases whose endpoint changed (deleted, token rotated, expired),
//   dropped from every instance's capture-target cache, the door thread's included;
// - `share-revoked`: share links revoked, whose live streams end on every instance;
// - `secrets`: an endpoint's signature secrets changed: every instance's live streams verify with the new ones;
// - `forward-rules`: a forwarding rule was saved or deleted: every instance's Forwarder re-reads the rules at
//   once (not at its 30 s refresh), so captures another instance takes right after are forwarded too.
// Rate limits (rate-limit.ts: endpoint creation; throttles.ts: sign-in, sign-up, unknown share links)
// and the once-per-period lock (lock.ts) use the command connection.
// Redis down: captures are stored and acknowledged as always (nothing here is on that path); live
// streams poll the database every POLL_DOWN_MS; invalidations fall back to the cache's 2 s expiry
// and share streams to their 5 s revalidation; rate limits and throttles count per instance (fail
// open to the local limit); sweeps run on every instance (idempotent).
import "../runtime/server-only";
import { randomUUID } from "node:crypto";
import { config } from "../config";
import { databaseTarget } from "../db/client";
import { forgetCaptureKeys, onForgetCaptureTarget } from "../endpoints/capture-target";
import { installSharedCreateLimiter } from "../endpoints/create-throttle";
import { liveCapturesAfter, latestSeq } from "../capture/store";
import { installLocalLiveFeed } from "../live/bus";
import type { Committed, MirroredFeed } from "../live/door-bridge";
import { log } from "../runtime/log";
import { endShareStreams, onShareRevoked } from "../sharing/share-links";
import { onSecretsChanged, secretsChangedElsewhere } from "../signatures/checks";
import { ClusterFeed } from "./live-feed";
import { takeTurn, type TurnOutcome } from "./lock";
import { takeSharedCreation } from "./rate-limit";
import { redisThrottles } from "./throttles";
import { installSharedThrottles } from "../auth/throttle";
import { connectRedis } from "./redis";
import { hooks as forwarderHooks } from "../replay/forward-hooks";

/** The slow poll of watched endpoints while Redis is up (a safety net for a lost message), and while it is down. */
export const POLL_MS = 2000;
export const POLL_DOWN_MS = 500;

export interface Cluster {
  /** The feed of every instance's captures (install it as liveFeed()). */
  feed: ClusterFeed;
  /** The door thread committed these: tell the other instances, and read them here. */
  committed(list: readonly Committed[]): void;
  /** Runs `work` on one instance per `periodMs` (lock.ts). */
  takeTurn(name: string, periodMs: number, work: () => Promise<unknown>): Promise<TurnOutcome>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** This instance's own captures (forwarding), from the door bridge. */
  mirror: MirroredFeed;
  /** Passes evictions to the door thread's capture-target cache. */
  forgetOnDoor(keys: string[]): void;
}

type Message = { from: string } & ({ c: Committed[] } | { forget: string[] } | { share: string } | { secrets: string } | { rules: 1 });

export function startCluster(opts: ClusterOptions): Cluster {
  const cfg = config();
  if (databaseTarget().provider !== "postgresql") {
    throw new Error("REDIS_URL (cluster mode) needs PostgreSQL as the store: set DATABASE_URL=postgres://…");
  }
  const prefix = cfg.REDIS_PREFIX;
  const me = randomUUID();
  const channel = {
    captures: `${prefix}captures`,
    forget: `${prefix}forget`,
    share: `${prefix}share-revoked`,
    secrets: `${prefix}secrets`,
    rules: `${prefix}forward-rules`,
  };
  const feed = new ClusterFeed(liveCapturesAfter, latestSeq);
  installLocalLiveFeed(() => opts.mirror);

  const commands = connectRedis("commands");
  // Every (re)connection of the subscriber subscribes (commands are not queued while it is down, so
  // not before it is ready) and then polls once: what was published while it was away is read now.
  const subscriber = connectRedis("subscriber", () => {
    subscriber.client
      .subscribe(channel.captures, channel.forget, channel.share, channel.secrets, channel.rules)
      .then(() => feed.poll())
      .catch((err: Error) => log().warn({ err: err.message }, "redis subscribe failed"));
  });
  subscriber.client.on("message", (ch: string, text: string) => {
    let msg: Message;
    try {
      msg = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (msg.from === me) return;
    if (ch === channel.captures && "c" in msg) for (const [endpointId, seq] of msg.c) feed.notify(endpointId, seq);
    else if (ch === channel.forget && "forget" in msg) {
      forgetCaptureKeys(msg.forget);
      opts.forgetOnDoor(msg.forget);
    } else if (ch === channel.share && "share" in msg) endShareStreams(msg.share);
    else if (ch === channel.secrets && "secrets" in msg) void secretsChangedElsewhere(msg.secrets);
    else if (ch === channel.rules && "rules" in msg) forwarderHooks().rulesChanged?.();
  });

  const publish = (ch: string, body: Record<string, unknown>) => {
    if (!commands.up) return;
    commands.client.publish(ch, JSON.stringify({ from: me, ...body })).catch(() => {});
  };

  const stopForget = onForgetCaptureTarget((keys) => publish(channel.forget, { forget: keys }));
  const stopShare = onShareRevoked((id) => publish(channel.share, { share: id }));
  const stopSecrets = onSecretsChanged((endpointId) => publish(channel.secrets, { secrets: endpointId }));
  installSharedCreateLimiter((ip, limit) => (commands.up ? takeSharedCreation(commands.client, prefix, ip, limit) : Promise.resolve(null)));
  installSharedThrottles(redisThrottles(commands.client, prefix, () => commands.up));
  forwarderHooks().publish = () => publish(channel.rules, { rules: 1 });

  let lastPoll = Date.now();
  const poller = setInterval(
    () => {
      const now = Date.now();
      if (now - lastPoll < (subscriber.up ? POLL_MS : POLL_DOWN_MS)) return;
      lastPoll = now;
      feed.poll();
    },
    Math.min(POLL_MS, POLL_DOWN_MS),
  );
  poller.unref();
  log().info({ prefix }, "cluster mode: redis");

  return {
    feed,
    committed(list) {
      // The newest seq per endpoint is all a reader needs.
      const newest = new Map<string, number>();
      for (const [endpointId, seq] of list) if (seq > (newest.get(endpointId) ?? 0)) newest.set(endpointId, seq);
      const c = [...newest];
      for (const [endpointId, seq] of c) feed.notify(endpointId, seq);
      publish(channel.captures, { c });
    },
    takeTurn: (name, periodMs, work) =>
      commands.up ? takeTurn(commands.client, `${prefix}lock:${name}`, periodMs, work) : work().then(() => "ran-without-lock" as const),
    async stop() {
      clearInterval(poller);
      stopForget();
      stopShare();
      stopSecrets();
      installSharedCreateLimiter(null);
      installSharedThrottles(null);
      forwarderHooks().publish = null;
      await Promise.all([commands.close(), subscriber.close()]);
    },
  };
}
