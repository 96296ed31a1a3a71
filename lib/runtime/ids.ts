import { randomBytes, randomFillSync } from "node:crypto";

// Ids are minted on the capture path for every request; drawing CSPRNG bytes from a pool refilled
// 4 KiB at a time costs far less than one randomBytes() call per id.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function take(bytes: number): Buffer {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return out;
}

/** base64url of `bytes` random bytes from the CSPRNG. */
export function randomToken(bytes: number): string {
  return bytes > 256 ? randomBytes(bytes).toString("base64url") : take(bytes).toString("base64url");
}

/** Capture tokens: 144 random bits (24 base64url characters). */
export const newCaptureToken = () => randomToken(18);
export const newEndpointId = () => `ep_${randomToken(12)}`;
export const newCaptureId = () => `cap_${randomToken(12)}`;
export const newOwnerKey = () => `own_${randomToken(18)}`;
