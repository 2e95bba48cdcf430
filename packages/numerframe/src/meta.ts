import { z } from "zod";
import { parseOptions } from "./core/options.js";

/** Numerai tournament flavour of a frame; decides defaults such as the era column name. */
export const frameKind = z.enum(["classic", "signals", "crypto", "custom"]);
/** "classic", "signals", "crypto" or "custom"; see {@link frameKind}. */
export type FrameKind = z.infer<typeof frameKind>;

/** Role a column plays; explicit roles override inference from Numerai naming. */
export const columnRole = z.enum(["era", "id", "feature", "target", "prediction", "other"]);
/** "era", "id", "feature", "target", "prediction" or "other"; see {@link columnRole}. */
export type ColumnRole = z.infer<typeof columnRole>;

/** One step that produced or changed a frame: which blox, with which options, when (ISO time). */
export const provenanceStep = z.strictObject({
  blox: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  at: z.string(),
});
/** One provenance entry: the blox name, its options (plain data) and an ISO timestamp. */
export type ProvenanceStep = z.infer<typeof provenanceStep>;

/** The metadata a NumerFrame carries next to its Arrow table. */
export const frameMeta = z.strictObject({
  kind: frameKind.optional(),
  eraCol: z.string().min(1).optional(),
  idCol: z.string().min(1).optional(),
  roles: z.record(z.string(), columnRole).default({}),
  source: z.record(z.string(), z.unknown()).default({}),
  provenance: z.array(provenanceStep).default([]),
});
/** Metadata as given by a caller: every field optional. */
export type FrameMetaInput = z.input<typeof frameMeta>;
/** Resolved metadata: kind, era and id columns filled in by inference where possible. */
export type FrameMeta = z.infer<typeof frameMeta> & { kind: FrameKind };

const ERA_NAMES = ["era", "date", "friday_date"] as const;
const ID_NAMES = ["id", "symbol", "numerai_ticker", "ticker"] as const;

/**
 * Infers the role of one column from Numerai naming, ignoring overrides: `feature_*` is a
 * feature, `target*` a target, `prediction*` a prediction, anything else "other". Era and id
 * columns are not inferred here because they depend on the other column names (see
 * {@link resolveMeta}).
 *
 * @param name - a column name, case-sensitive as Numerai writes it
 * @returns the inferred role
 * @throws never throws
 * @example
 * ["feature_intelligence1", "target_cyrus_20", "prediction", "era"].map(inferredRole);
 * // ["feature", "target", "prediction", "other"]
 */
export function inferredRole(name: string): ColumnRole {
  if (name.startsWith("feature_")) return "feature";
  if (name.startsWith("target")) return "target";
  if (name.startsWith("prediction")) return "prediction";
  return "other";
}

/**
 * Resolves metadata against the column names: explicit `eraCol`, `idCol` and `roles` win;
 * otherwise Numerai naming decides (era/date/friday_date, id/symbol/numerai_ticker/ticker). The
 * kind, when not given, follows from the columns found: an "era" column means classic,
 * numerai_ticker/ticker/friday_date signals, symbol crypto, anything else custom.
 *
 * @param input - metadata from the caller, or undefined for none
 * @param names - the frame's column names
 * @returns the metadata with kind, and eraCol / idCol where one was found, filled in
 * @throws InvalidOptionError (INVALID_OPTION) listing every problem when `input` has the wrong
 *   shape: an unknown key (with the nearest valid one), an unknown role or kind
 * @example
 * resolveMeta(undefined, ["date", "symbol", "signal"]);
 * // { kind: "crypto", eraCol: "date", idCol: "symbol", roles: {}, source: {}, provenance: [] }
 */
export function resolveMeta(input: FrameMetaInput | undefined, names: readonly string[]): FrameMeta {
  const meta = parseOptions(frameMeta, input ?? {}, "NumerFrame meta");
  const byRole = (role: ColumnRole) => Object.keys(meta.roles).find((c) => meta.roles[c] === role);
  const has = new Set(names);
  const eraCol = meta.eraCol ?? byRole("era") ?? ERA_NAMES.find((n) => has.has(n));
  const idCol = meta.idCol ?? byRole("id") ?? ID_NAMES.find((n) => has.has(n));
  const kind: FrameKind =
    meta.kind ??
    (eraCol === "era"
      ? "classic"
      : idCol === "numerai_ticker" || idCol === "ticker" || eraCol === "friday_date"
        ? "signals"
        : idCol === "symbol"
          ? "crypto"
          : "custom");
  return {
    ...meta,
    kind,
    ...(eraCol !== undefined ? { eraCol } : {}),
    ...(idCol !== undefined ? { idCol } : {}),
  };
}
