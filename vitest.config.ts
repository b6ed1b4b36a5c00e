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
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          // Same per-file database and queue prefix as integration; the app is built once per run
          // (test/e2e/support/global-setup.ts) and each file serves it with its own `npm start` and Chromium.
          globalSetup: ["test/support/global-setup.ts", "test/e2e/support/global-setup.ts"],
          setupFiles: ["test/support/integration-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
