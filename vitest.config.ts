import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 } },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // Unit tests run first (fast feedback); then the integration files, two at a time.
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts"],
          // The servers they start run dist/ (rebuilt here when a source is newer).
          globalSetup: ["tests/helpers/build-setup.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
    ],
  },
});
