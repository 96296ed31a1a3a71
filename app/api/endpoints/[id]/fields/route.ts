import { idParams, route } from "@/lib/http/route";
import { sampleFieldNames } from "@/lib/search/fields-sample";

export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => sampleFieldNames(principal, id));
