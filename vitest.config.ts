import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "server",
          include: ["server/**/*.test.ts"],
          // Longer than a minute each: `npm run test:faults`.
          exclude: ["**/node_modules/**", "**/*.fault.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          // One browser and one server at a time: the machine's cores are shared.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "faults",
          include: ["server/**/*.fault.test.ts", "deploy/**/*.fault.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          // Each file loads the machine on purpose (thousands of streams, killed processes):
          // one at a time, so they measure their own effects, not each other's.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
