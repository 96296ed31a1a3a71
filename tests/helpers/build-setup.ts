// Global setup of the integration and browser tests: the servers they start run the compiled
// server (dist/, what `npm start` runs), rebuilt here once when it is missing or older than its
// sources, so a test never drives yesterday's lib/. The Next.js app (.next/) is `npm run build`'s.
// @ts-expect-error: a plain .mjs script without type declarations
import { ensureServerBuild } from "../../scripts/ensure-build.mjs";

export default async function setup(): Promise<void> {
  await (ensureServerBuild as () => Promise<boolean>)();
}
