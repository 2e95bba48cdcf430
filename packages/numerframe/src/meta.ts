import { z } from "zod";

/** Numerai tournament flavour of a frame; decides defaults such as the era column name. */
export const frameKind = z.enum(["classic", "signals", "crypto", "custom"]);
export type FrameKind = z.infer<typeof frameKind>;

/** Role a column plays; explicit roles override inference from Numerai naming. */
export const columnRole = z.enum(["era", "id", "feature", "target", "prediction", "other"]);
export type ColumnRole = z.infer<typeof columnRole>;

/** One step that produced or changed a frame: which blox, with which options, when (ISO time). */
export const provenanceStep = z.object({
  blox: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  at: z.string(),
});
export type ProvenanceStep = z.infer<typeof provenanceStep>;

/** The metadata a NumerFrame carries next to its Arrow table. */
export const frameMeta = z.object({
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

/** Infers the role of one column from Numerai naming, ignoring overrides. */
export function inferredRole(name: string): ColumnRole {
  if (name.startsWith("feature_")) return "feature";
  if (name.startsWith("target")) return "target";
  if (name.startsWith("prediction")) return "prediction";
  return "other";
}

/**
 * Resolves metadata against the column names: explicit `eraCol`, `idCol` and `roles` win;
 * otherwise Numerai naming decides (era/date, id/symbol/numerai_ticker).
 */
export function resolveMeta(input: FrameMetaInput | undefined, names: readonly string[]): FrameMeta {
  const meta = frameMeta.parse(input ?? {});
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
