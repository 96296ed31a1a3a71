import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request: the secret is read at run time, never at build time.
async function handler(req: NextRequest, ctx: Ctx) {
  return NextAuth(req, ctx, authOptions());
}

export { handler as GET, handler as POST };
