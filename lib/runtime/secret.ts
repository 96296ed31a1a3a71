import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config } from "../config";
import { shared } from "./shared";

/**
 * The server's signing secret: SECRET when configured, otherwise 256 random bits generated on
 * first start and kept in DATA_DIR/secret.key (mode 0600), so cookies survive restarts.
 */
export function signingSecret(): string {
  return shared("secret", () => {
    const c = config();
    if (c.SECRET) return c.SECRET;
    const file = path.resolve(c.DATA_DIR, "secret.key");
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      try {
        writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
    }
    return readFileSync(file, "utf8").trim();
  });
}
