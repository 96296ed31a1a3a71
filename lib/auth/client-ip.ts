// server.ts sets this header on every dashboard request from the socket address (or the trusted
// proxy hops); any value a client sends is overwritten.
export const CLIENT_IP_HEADER = "x-hookscope-client-ip";

export function clientIp(headers: { get(name: string): string | null }): string | null {
  return headers.get(CLIENT_IP_HEADER) || null;
}
