/**
 * Every supported webhook signature scheme, in display order. Each provider lives in providers/<id>.ts (its scheme
 * details, its pure verifier and its detection hints); adding one = that file and one line here.
 */
import { bitbucket } from "./providers/bitbucket";
import { calendly } from "./providers/calendly";
import { discord } from "./providers/discord";
import { generic } from "./providers/generic";
import { github } from "./providers/github";
import { gitlab } from "./providers/gitlab";
import { hubspot } from "./providers/hubspot";
import { intercom } from "./providers/intercom";
import { jira } from "./providers/jira";
import { linear } from "./providers/linear";
import { mailgun } from "./providers/mailgun";
import { paddle } from "./providers/paddle";
import { sendgrid } from "./providers/sendgrid";
import { shopify } from "./providers/shopify";
import { slack } from "./providers/slack";
import { square } from "./providers/square";
import { standardWebhooks } from "./providers/standard-webhooks";
import { stripe } from "./providers/stripe";
import { svix } from "./providers/svix";
import { twilio } from "./providers/twilio";
import { twitch } from "./providers/twitch";
import { typeform } from "./providers/typeform";
import { zoom } from "./providers/zoom";
import type { ProviderSpec } from "./provider";

const PROVIDERS = [
  stripe,
  github,
  standardWebhooks,
  svix,
  slack,
  shopify,
  twilio,
  sendgrid,
  mailgun,
  paddle,
  square,
  zoom,
  intercom,
  linear,
  discord,
  twitch,
  hubspot,
  typeform,
  calendly,
  gitlab,
  bitbucket,
  jira,
  generic,
] as const;

export type ProviderId = (typeof PROVIDERS)[number]["id"];

export const PROVIDER_IDS: readonly ProviderId[] = PROVIDERS.map((p) => p.id);

const BY_ID = new Map<string, ProviderSpec<ProviderId>>(PROVIDERS.map((s) => [s.id, s]));

/** Every provider, in display order. */
export function listProviders(): readonly ProviderSpec<ProviderId>[] {
  return PROVIDERS;
}

/** The provider's table row, or null for an unknown id (ids are matched case-insensitively). */
export function getProvider(id: string): ProviderSpec<ProviderId> | null {
  return BY_ID.get(id.trim().toLowerCase()) ?? null;
}
