import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/accounts/auth-options";
import { refuseMalformedAuthRequest } from "@/lib/http/callback-url";
import { clientIp } from "@/lib/auth/client-ip";
import { errorResponse } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the secret is read at run time, never at build time, and a sign-in's session
// record notes the address it came from. Input next-auth would turn into a 500 (a callback URL it cannot parse, a
// JSON body that does not parse) is answered with a 400 first.
async function handler(req: NextRequest, ctx: Ctx) {
  const refused = await refuseMalformedAuthRequest(req);
  if (refused) {
    const res = errorResponse(refused.error);
    if (refused.clearCookie)
      res.headers.append(
        "Set-Cookie",
        `${refused.clearCookie}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${refused.clearCookie.startsWith("__Secure-") ? "; Secure" : ""}`,
      );
    return res;
  }
  return NextAuth(req, ctx, authOptions({ ip: clientIp(req.headers) }));
}

export { handler as GET, handler as POST };
