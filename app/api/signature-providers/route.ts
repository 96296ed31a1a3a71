import { route } from "@/lib/http/route";
import { providerList } from "@/lib/signatures/api";

// The supported signature schemes (static; no caller needed).
export const GET = route({ auth: "none" }, () => ({ providers: providerList() }));
