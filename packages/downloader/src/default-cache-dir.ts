import { homedir } from "node:os";
import { join } from "node:path";

/** The cache folder: NMRBLOX_CACHE_DIR if set, else ~/.cache/nmrblox. */
export function defaultCacheDir(): string {
  return process.env.NMRBLOX_CACHE_DIR ?? join(homedir(), ".cache", "nmrblox");
}
