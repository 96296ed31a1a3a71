/**
 * Saved webhook signing secrets, per endpoint and provider (server side). Each secret is sealed with AES-256-GCM
 * (lib/signatures/secret-box.ts) under a key from config, bound to its row with the associated data
 * `${endpointId}:${provider}`; the API only ever shows its fingerprint. Several candidates per provider are allowed
 * (test and live mode, an old and a new secret): verification tries each and reports which one matched.
 */
import "../runtime/server-only";
import { z } from "zod";
import { config } from "../config";
import { db } from "../db/client";
import { AppError, invalid, notFound } from "../errors";
import { randomToken } from "../runtime/ids";
import { log } from "../runtime/log";
import { signingSecret } from "../runtime/secret";
import { shared } from "../runtime/shared";
import { parseGenericOptions } from "./providers/generic";
import { getProvider, type ProviderId } from "./registry";
import type { GenericHmacOptions } from "./types";
import { deriveSecretBoxKey, fingerprint, sealSecret, tryOpenSecret } from "./secret-box";
import { secretProblem } from "./secret-encoding";

/** Saved secrets per endpoint, at most. */
export const MAX_SECRETS_PER_ENDPOINT = 20;
/** Longest secret accepted (public keys and tokens included). */
export const MAX_SECRET_LENGTH = 4096;

/** What the API shows of a saved secret: never the secret itself. */
export interface SecretInfo {
  id: string;
  provider: ProviderId;
  label: string;
  fingerprint: string;
  createdAt: string;
  /** Generic HMAC options (provider "generic" only). */
  generic: GenericHmacOptions | null;
}

/** A decrypted saved secret, for verification only (never serialised to a client or a log). */
export interface SecretCandidateRow {
  id: string;
  provider: ProviderId;
  label: string;
  fingerprint: string;
  secret: string;
  generic: GenericHmacOptions | null;
}

/** The 32-byte sealing key: from SIGNATURE_SECRETS_KEY, else derived from the server's signing secret. */
export function secretBoxKey(): Buffer {
  return shared("signature-secret-box-key", () => {
    const configured = config().SIGNATURE_SECRETS_KEY;
    return deriveSecretBoxKey(configured ?? signingSecret(), "signature-secrets");
  });
}

const aad = (endpointId: string, provider: string) => `${endpointId}:${provider}`;

export const newSecretSchema = z.object({
  provider: z.string().trim().min(1).max(40),
  label: z.string().trim().max(80).optional(),
  secret: z.string().min(1, "secret is required").max(MAX_SECRET_LENGTH),
  generic: z.unknown().optional(),
});

export type NewSecretInput = z.infer<typeof newSecretSchema>;

function parseOptions(json: string): GenericHmacOptions | null {
  try {
    const parsed = parseGenericOptions(JSON.parse(json));
    return parsed.ok ? parsed.options : null;
  } catch {
    return null;
  }
}

type Row = { id: string; provider: string; label: string; fingerprint: string; createdAt: Date; options: string; sealed: string };

function info(row: Row): SecretInfo {
  return {
    id: row.id,
    provider: row.provider as ProviderId,
    label: row.label,
    fingerprint: row.fingerprint,
    createdAt: row.createdAt.toISOString(),
    generic: row.provider === "generic" ? parseOptions(row.options) : null,
  };
}

/** Validates provider and generic options; returns the canonical provider id and options. */
export function checkProvider(provider: string, generic: unknown): { provider: ProviderId; generic: GenericHmacOptions | null } {
  const spec = getProvider(provider);
  if (spec === null) throw invalid(`provider: unknown provider "${provider.slice(0, 40)}".`);
  if (spec.id !== "generic") return { provider: spec.id, generic: null };
  if (generic === undefined || generic === null)
    throw invalid("generic: generic HMAC needs its options (algorithm, header, encoding, template).");
  const parsed = parseGenericOptions(generic);
  if (!parsed.ok) throw invalid(`generic: ${parsed.error}`);
  return { provider: "generic", generic: parsed.options };
}

/**
 * A secret the provider's scheme decodes must decode strictly (secret-encoding.ts): refused here, once, instead of
 * failing every verification later. GitLab takes a plain token or a whsec_ signing token (the headers decide), so a
 * whsec_ one is checked as such.
 */
function checkSecretEncoding(provider: ProviderId, generic: GenericHmacOptions | null, secret: string): void {
  const spec = getProvider(provider)!;
  let kind =
    spec.schemeFor?.({ body: new Uint8Array(0), headers: [], secret: "", now: 0, ...(generic ? { generic } : {}) }).secretKind ??
    spec.secretKind;
  if (provider === "gitlab" && secret.startsWith("whsec_")) kind = "whsec-base64";
  const problem = secretProblem(kind, secret, provider);
  if (problem !== null) throw invalid(`secret: ${problem}`);
}

export async function addSecret(endpointId: string, input: NewSecretInput, createdBy: string): Promise<SecretInfo> {
  const { provider, generic } = checkProvider(input.provider, input.generic);
  checkSecretEncoding(provider, generic, input.secret);
  const count = await db().signatureSecret.count({ where: { endpointId } });
  if (count >= MAX_SECRETS_PER_ENDPOINT) {
    throw new AppError("too_many_secrets", `An endpoint keeps at most ${MAX_SECRETS_PER_ENDPOINT} signing secrets; delete one first.`);
  }
  const label = input.label && input.label.length > 0 ? input.label : `${getProvider(provider)!.name} secret ${count + 1}`;
  const row = await db().signatureSecret.create({
    data: {
      id: `sig_${randomToken(12)}`,
      endpointId,
      provider,
      label,
      sealed: sealSecret(input.secret, secretBoxKey(), aad(endpointId, provider)),
      fingerprint: fingerprint(input.secret),
      options: JSON.stringify(generic ?? {}),
      createdBy,
    },
  });
  return info(row);
}

/** Oldest first (the order verification tries them in). */
export async function listSecrets(endpointId: string): Promise<SecretInfo[]> {
  const rows = await db().signatureSecret.findMany({ where: { endpointId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(info);
}

export async function deleteSecret(endpointId: string, secretId: string): Promise<SecretInfo> {
  const row = await db().signatureSecret.findFirst({ where: { id: secretId, endpointId } });
  if (!row) throw notFound("signature secret");
  await db().signatureSecret.deleteMany({ where: { id: secretId, endpointId } });
  return info(row);
}

/**
 * The endpoint's saved secrets, decrypted, oldest first. A row that no longer opens (the sealing key changed, or
 * the row was tampered with) is skipped and logged by id only.
 */
export async function loadCandidates(endpointId: string): Promise<SecretCandidateRow[]> {
  const rows = await db().signatureSecret.findMany({ where: { endpointId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const key = secretBoxKey();
  const out: SecretCandidateRow[] = [];
  for (const row of rows) {
    const secret = tryOpenSecret(row.sealed, key, aad(endpointId, row.provider));
    if (secret === null) {
      log().warn({ secretId: row.id, endpointId }, "saved signature secret could not be opened (SIGNATURE_SECRETS_KEY changed?)");
      continue;
    }
    out.push({
      id: row.id,
      provider: row.provider as ProviderId,
      label: row.label,
      fingerprint: row.fingerprint,
      secret,
      generic: info(row).generic,
    });
  }
  return out;
}

/** Standard Webhooks and Svix are the same scheme: a secret saved for one applies to the other. */
const FAMILY: Partial<Record<ProviderId, ProviderId[]>> = {
  "standard-webhooks": ["standard-webhooks", "svix"],
  svix: ["svix", "standard-webhooks"],
};

/** The candidates that apply to a provider (its own, then its scheme family's). */
export function candidatesFor(candidates: readonly SecretCandidateRow[], provider: ProviderId): SecretCandidateRow[] {
  const family = FAMILY[provider] ?? [provider];
  return family.flatMap((p) => candidates.filter((c) => c.provider === p));
}
