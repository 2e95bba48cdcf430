import { z } from "zod";
import type { FrameMetaInput } from "../meta.js";
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

/** Option schema for metadata fields that override a file's stored metadata. */
export const metaOverride = z.custom<FrameMetaInput>((v) => typeof v === "object" && v !== null, "meta must be an object");
