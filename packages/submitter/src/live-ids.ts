import { NumerFrame } from "@nmrblox/numerframe";
import { z } from "zod";
import { idStrings, liveIdIndex } from "./ids.js";

/**
 * The live universe: an array of ids (strings; numbers are compared as their string form) or a
 * frame such as Numerai's `live.parquet`, whose column named like the submission's id column
 * (else its id column) holds the ids.
 */
export const liveIdsInput = z.custom<ArrayLike<unknown> | NumerFrame>(
  (v) => NumerFrame.isInstance(v) || Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)),
  { message: "liveIds must be an array of ids or a NumerFrame holding them" },
);
/** The live universe: ids, or a frame holding them. */
export type LiveIdsInput = z.infer<typeof liveIdsInput>;

/** The live ids numbered 0..k−1, read from the column `idCol` when given a frame. */
export function resolveLiveIds(liveIds: LiveIdsInput, idCol: string): Map<string, number> {
  if (!NumerFrame.isInstance(liveIds)) return liveIdIndex(liveIds);
  const column = liveIds.has(idCol) ? idCol : liveIds.idCol;
  // Reading a missing column raises MissingColumnError naming it and the universe's columns.
  return liveIdIndex(idStrings(liveIds, column ?? idCol));
}
