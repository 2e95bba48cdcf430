import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The report test opens report.html in Debian's Chromium. On a fresh machine it is not
 * installed yet, so the test run installs it (apt-get, as root or through sudo) before any test.
 */
export default function setup(): void {
  if (existsSync("/usr/bin/chromium")) return;
  const script = fileURLToPath(new URL("./ensure-chromium.sh", import.meta.url));
  execFileSync("bash", [script], { stdio: "inherit" });
}
