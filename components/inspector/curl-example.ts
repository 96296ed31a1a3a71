// A ready-to-paste request for a capture URL. The URL is built by the server from a base64url token
// or an alias ([a-z0-9-]), so single quotes cannot occur in it.
export function curlExample(captureUrl: string): string {
  return `curl -X POST '${captureUrl}/hello?source=curl' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"event":"test","ok":true}'`;
}
