import { z } from "zod";
import { idParams, route } from "@/lib/http/route";
import { searchWorkspaceCaptures } from "@/lib/search/capture-search";

const pageQuery = z.object({
  q: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

// Across the workspace's endpoints (not a member → 404); `endpoint:<id|alias>` narrows; each capture names its endpoint.
export const GET = route({ auth: "required", params: idParams, query: pageQuery }, ({ principal, params: { id }, query }) =>
  searchWorkspaceCaptures(principal, id, query),
);
