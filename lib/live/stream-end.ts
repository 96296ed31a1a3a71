// Why a live stream ended: decided by access checks (lib/endpoints, lib/sharing), sent by lib/http/sse.ts.

/** Why a stream ended on the server's side: sent as `event: access_ended` before it closes. */
export interface StreamEnd {
  /** e.g. token_revoked, session_ended, access_revoked */
  reason: string;
  message: string;
}
