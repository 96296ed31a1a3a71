import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // HS_DIST_DIR lets parallel checkouts/builds (and tests against them) use separate build folders.
  distDir: process.env.HS_DIST_DIR || ".next",
  reactStrictMode: true,
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "pino"],
  // A lockfile in a parent folder (CI clones elsewhere) must not move the workspace root.
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
