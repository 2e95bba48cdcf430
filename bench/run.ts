// Runs every bench/*.bench.ts (or those whose name contains the first argument) in turn.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts") && f.includes(filter))
  .sort();
console.log(`node ${process.version}, ${files.length} benchmark file(s)`);
for (const f of files) await import(pathToFileURL(join(here, f)).href);
