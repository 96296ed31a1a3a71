import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { clientIp } from "@/lib/auth/client-ip";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the secret is read at run time, never at build time, and a
// sign-in's session record notes the address it came from.
async function handler(req: NextRequest, ctx: Ctx) {
  return NextAuth(req, ctx, authOptions({ ip: clientIp(req.headers) }));
}

export { handler as GET, handler as POST };
