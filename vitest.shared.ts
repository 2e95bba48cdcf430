import { type UserProjectConfigExport, defineProject, mergeConfig } from "vitest/config";

/**
 * The one vitest project configuration every package and examples/tests use: sources through
 * the `@nmrblox/source` export condition (no build needed to test), a 60 s test timeout.
 * A package passes only what it adds (a global setup, a longer timeout).
 */
export function projectConfig(extra: Parameters<typeof defineProject>[0] = {}): UserProjectConfigExport {
  return mergeConfig(
    defineProject({
      resolve: { conditions: ["@nmrblox/source"] },
      ssr: { resolve: { conditions: ["@nmrblox/source"] } },
      test: { testTimeout: 60_000 },
    }),
    extra,
  );
}
