// Shared by the sign-in and sign-up pages (server side): where to go afterwards, and how many
// anonymous endpoints this browser holds (they are claimed on sign-up or sign-in).
import { redirect } from "next/navigation";
import { pagePrincipal } from "@/lib/http/page";
import { listEndpoints } from "@/lib/endpoints/endpoints";
import { safeCallbackUrl } from "./safe-callback";

export async function authPageContext(
  rawCallback: string | string[] | undefined,
): Promise<{ callbackUrl: string; anonymousEndpoints: number }> {
  let callbackUrl = safeCallbackUrl(rawCallback);
  // Never come back to a sign-in page (that would loop once signed in).
  if (/^\/(signin|signup)(?:[/?#]|$)/.test(callbackUrl)) callbackUrl = "/";
  const principal = await pagePrincipal();
  if (principal?.kind === "user") redirect(callbackUrl);
  const anonymousEndpoints = principal?.kind === "anonymous" ? (await listEndpoints(principal)).length : 0;
  return { callbackUrl, anonymousEndpoints };
}
