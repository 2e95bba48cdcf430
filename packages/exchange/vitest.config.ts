import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@nmrblox/source"] },
  ssr: { resolve: { conditions: ["@nmrblox/source"] } },
  test: { testTimeout: 60_000 },
});
