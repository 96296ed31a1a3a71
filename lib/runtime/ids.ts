import { randomBytes } from "node:crypto";

/** base64url of `bytes` random bytes from the CSPRNG. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** Capture tokens: 144 random bits (24 base64url characters). */
export const newCaptureToken = () => randomToken(18);
export const newEndpointId = () => `ep_${randomToken(12)}`;
export const newCaptureId = () => `cap_${randomToken(12)}`;
export const newOwnerKey = () => `own_${randomToken(18)}`;
