import type { Data } from "apache-arrow";

/**
 * Definition levels of a column chunk (1 = value, 0 = null), one byte per row, or undefined
 * when no piece has a null (the common case: pages then carry a single RLE run of ones).
 *
 * @param pieces - the chunk's Arrow data, in row order
 * @param rows - total rows of the pieces
 * @returns the levels and the null count
 */
export function definitionLevels(pieces: readonly Data[], rows: number): { levels: Uint8Array | undefined; nulls: number } {
  let nulls = 0;
  for (const p of pieces) nulls += p.nullCount;
  if (nulls === 0) return { levels: undefined, nulls: 0 };
  const levels = new Uint8Array(rows);
  let at = 0;
  for (const p of pieces) {
    if (p.nullCount === 0) levels.fill(1, at, at + p.length);
    else {
      const bitmap = p.nullBitmap!;
      const off = p.offset;
      for (let i = 0; i < p.length; i++) {
        const b = off + i;
        levels[at + i] = (bitmap[b >> 3]! >> (b & 7)) & 1;
      }
    }
    at += p.length;
  }
  return { levels, nulls };
}

/** Whether row i of a piece holds a value (call only when the piece has nulls). */
export function isValid(piece: Data, i: number): boolean {
  const b = piece.offset + i;
  return ((piece.nullBitmap![b >> 3]! >> (b & 7)) & 1) === 1;
}
