import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // HS_DIST_DIR lets parallel checkouts/builds (and tests against them) use separate build folders.
  distDir: process.env.HS_DIST_DIR || ".next",
  reactStrictMode: true,
  experimental: {
    // Next.js loads every route's server module when it starts (default true): ~20 MB of the idle
    // server's heap and ~0.3 s of its start (issue 17, docs/architecture.md "Footprint"); a route's
    // module now loads on its first request instead.
    preloadEntriesOnStart: false,
  },
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "pino"],
  // A lockfile in a parent folder (CI clones elsewhere) must not move the workspace root.
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
