import { projectConfig } from "../../vitest.shared.js";

// The tests spawn the built `nmrblox` binary; global-setup builds it (and the libraries it
// imports) when dist is missing or older than the sources.
export default projectConfig({ test: { testTimeout: 120_000, hookTimeout: 600_000, globalSetup: ["./test/global-setup.ts"] } });
