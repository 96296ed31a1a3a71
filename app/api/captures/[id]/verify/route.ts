import { idParams, route } from "@/lib/http/route";
import { verifyCaptureFor, verifySchema } from "@/lib/capture/service/verify";

// Verifies the stored bytes against a one-off secret (never stored or logged), one saved secret, or every saved
// secret of the provider. Signature values are shortened unless { reveal: true } (member and up, audited). A caller
// who cannot reveal verifies the masked capture instead (lib/capture/service/verify.ts).
export const POST = route({ auth: "required", params: idParams, body: verifySchema }, ({ principal, params: { id }, body, clientIp }) =>
  verifyCaptureFor(principal, id, body, clientIp),
);
