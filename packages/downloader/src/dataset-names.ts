import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { DatasetNotFoundError } from "./errors.js";

/** Options of `pickDataset`. */
export const pickDatasetOptions = z.strictObject({
  /** A version folder, "v5.2" or "5.2"; the newest listed by default. */
  version: z.string().min(1).optional(),
  /** Tie-break among files of the chosen version: lower is better. */
  prefer: z.custom<(path: string) => number>((v) => typeof v === "function", "must be a function").optional(),
});
/** Options of `pickDataset`, as callers give them. */
export type PickDatasetOptions = z.input<typeof pickDatasetOptions>;

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

/**
 * The version folder of a dataset path (`v5.2` for `v5.2/train.parquet`), if any.
 *
 * @param path - a path listDatasets offers
 * @returns the version folder, or undefined
 * @throws nothing
 * @example
 * datasetVersion("crypto/v1.0/live.parquet"); // "v1.0"
 */
export function datasetVersion(path: string): string | undefined {
  return parseVersion(path)?.label;
}

/**
 * Picks a dataset among the listed paths: candidates are those whose file name `matches`;
 * with `version` ("v5.2" or "5.2") only that version folder, else the newest version (plain
 * releases before `_beta` ones). Ties go to `prefer`'s order (lower is better). Nothing
 * suitable raises DatasetNotFoundError naming `what`.
 *
 * @param listed - what listDatasets offers
 * @param tournament - the tournament id, for the error message
 * @param what - what is looked for, for the error message ("train.parquet")
 * @param matches - whether a file name (last path segment) is a candidate
 * @param options - `version` and `prefer`
 * @returns the chosen path
 * @throws InvalidOptionError for an unknown option; DatasetNotFoundError when nothing fits
 * @example
 * pickDataset(["v5.0/train.parquet", "v5.2/train.parquet"], 8, "train", (n) => n === "train.parquet"); // "v5.2/train.parquet"
 */
export function pickDataset(
  listed: readonly string[],
  tournament: number,
  what: string,
  matches: (fileName: string) => boolean,
  options: PickDatasetOptions = {},
): string {
  const opts = parseOptions(pickDatasetOptions, options, "pickDataset");
  const wanted = opts.version === undefined ? undefined : opts.version.startsWith("v") ? opts.version : `v${opts.version}`;
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
  const prefer = opts.prefer ?? (() => 0);
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
