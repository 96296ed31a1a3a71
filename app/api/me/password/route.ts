import { changePassword, changePasswordSchema } from "@/lib/accounts/users";
import { route } from "@/lib/http/route";

// Changes the signed-in user's password; every other session of the account ends.
export const PUT = route({ auth: "required", body: changePasswordSchema }, ({ principal, body, clientIp }) =>
  changePassword(principal, body, clientIp),
);
