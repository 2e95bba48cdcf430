import { projectConfig } from "../../vitest.shared.js";

// Report tests look at the pages in headless Chromium; global-setup installs it when missing.
export default projectConfig({ test: { globalSetup: ["./test/global-setup.ts"] } });
