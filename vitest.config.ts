import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["test/support/unit-env.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          // One PostgreSQL database (cloned from a migrated template) and one queue prefix per file,
          // so files run in parallel against the real services without seeing each other.
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/support/integration-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
