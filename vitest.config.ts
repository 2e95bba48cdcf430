import { defineConfig } from "vitest/config";

// Tests run against each package's source through the `@nmrblox/source` export condition.
export default defineConfig({
  resolve: { conditions: ["@nmrblox/source"] },
  ssr: { resolve: { conditions: ["@nmrblox/source"] } },
  test: {
    projects: ["packages/*", "examples/*"],
    reporters: ["default", "./fixtures/src/summary-reporter.ts"],
  },
});
