import { z } from "zod";
import { type FrameMetaInput, frameMeta } from "../meta.js";
import type { NumerFrame } from "../numer-frame.js";

/** Key under which frame metadata is stored in Arrow schema and Parquet file metadata. */
export const META_KEY = "nmrblox";

export function encodeMeta(frame: NumerFrame): string {
  const { kind, eraCol, idCol, roles, source, provenance } = frame.meta;
  return JSON.stringify({ kind, eraCol, idCol, roles, source, provenance });
}

/** Stored metadata, overridden field by field by what the caller passes. */
export function decodeMeta(stored: string | undefined, override: FrameMetaInput | undefined): FrameMetaInput | undefined {
  if (stored === undefined) return override;
  let parsed: FrameMetaInput;
  try {
    parsed = JSON.parse(stored) as FrameMetaInput;
  } catch {
    return override;
  }
  return { ...parsed, ...override };
}

const field = frameMeta.shape;

/**
 * Option schema for metadata fields that override a file's stored metadata: the fields of
 * `frameMeta`, strict, every one optional and without defaults (an override that names no
 * roles must not wipe the stored ones).
 */
export const metaOverride = z.strictObject({
  kind: field.kind,
  eraCol: field.eraCol,
  idCol: field.idCol,
  roles: field.roles.unwrap().optional(),
  source: field.source.unwrap().optional(),
  provenance: field.provenance.unwrap().optional(),
});
