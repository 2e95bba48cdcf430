import { DatasetNotFoundError } from "./errors.js";

/** A dataset version parsed from a path segment such as `v5.2`, `v2.0` or `v2.0_beta`. */
interface ParsedVersion {
  label: string;
  parts: number[];
  /** A suffix such as `_beta` marks a pre-release, ranked below the plain version. */
  prerelease: boolean;
}

function parseVersion(path: string): ParsedVersion | undefined {
  for (const segment of path.split("/").slice(0, -1)) {
    const m = /^v(\d+(?:\.\d+)*)(.*)$/.exec(segment);
    if (m) return { label: segment, parts: m[1]!.split(".").map(Number), prerelease: m[2] !== "" };
  }
  return undefined;
}

function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  return Number(b.prerelease) - Number(a.prerelease);
}

/** The version folder of a dataset path (`v5.2` for `v5.2/train.parquet`), if any. */
export function datasetVersion(path: string): string | undefined {
  return parseVersion(path)?.label;
}

/**
 * Picks a dataset among the listed paths: candidates are those whose file name `matches`;
 * with `version` ("v5.2" or "5.2") only that version folder, else the newest version (plain
 * releases before `_beta` ones). Ties go to `prefer`'s order (lower is better). Nothing
 * suitable raises DatasetNotFoundError naming `what`.
 */
export function pickDataset(
  listed: readonly string[],
  tournament: number,
  what: string,
  matches: (fileName: string) => boolean,
  options: { version?: string; prefer?: (path: string) => number } = {},
): string {
  const wanted = options.version === undefined ? undefined : options.version.startsWith("v") ? options.version : `v${options.version}`;
  const candidates = listed
    .map((path) => ({ path, version: parseVersion(path) }))
    .filter(({ path, version }) => {
      const name = path.split("/").at(-1)!;
      if (!matches(name)) return false;
      return wanted === undefined || version?.label === wanted;
    });
  if (candidates.length === 0) {
    throw new DatasetNotFoundError(`${what}${wanted === undefined ? "" : ` (${wanted})`}`, tournament, listed);
  }
  const prefer = options.prefer ?? (() => 0);
  candidates.sort((a, b) => {
    if (a.version && b.version) {
      const v = compareVersions(b.version, a.version);
      if (v !== 0) return v;
    } else if (a.version || b.version) {
      return a.version ? -1 : 1;
    }
    return prefer(a.path) - prefer(b.path) || a.path.localeCompare(b.path);
  });
  return candidates[0]!.path;
}
