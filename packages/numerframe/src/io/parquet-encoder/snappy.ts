import { ByteWriter } from "./byte-writer.js";

/**
 * Snappy raw-block compression (the format Parquet's SNAPPY codec stores: a varint of the
 * uncompressed length, then literals and back-references; github.com/google/snappy
 * format_description.txt). The input is cut into 64 KiB blocks, as the reference compressor
 * does, so every back-reference offset fits two bytes.
 */

const BLOCK = 1 << 16;
const HASH_BITS = 14;
/** Bytes at the end of a block never starting a match (they may be part of one). */
const INPUT_MARGIN = 15;

const table = new Uint16Array(1 << HASH_BITS);

const load32 = (s: Uint8Array, p: number) => s[p]! | (s[p + 1]! << 8) | (s[p + 2]! << 16) | (s[p + 3]! << 24);
const hash = (x: number) => Math.imul(x, 0x1e35a7bd) >>> (32 - HASH_BITS);

/**
 * Compresses bytes into a Snappy raw block.
 *
 * @param input - the bytes to compress
 * @returns the compressed block (at most 32 + n + n / 6 bytes)
 * @example
 * snappyCompress(new TextEncoder().encode("a".repeat(20))); // 14 00 61 4a 01 00
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new ByteWriter(32);
  snappyCompressInto(input, out);
  return out.toBytes();
}

/**
 * Appends the Snappy raw block of `input` to `out`.
 *
 * @param input - the bytes to compress
 * @param out - where the block goes (at most 32 + n + n / 6 bytes)
 */
export function snappyCompressInto(input: Uint8Array, out: ByteWriter): void {
  const n = input.length;
  out.ensure(32 + n + Math.ceil(n / 6));
  out.varint(n);
  let p = out.pos;
  for (let start = 0; start < n; start += BLOCK) p = compressBlock(input, start, Math.min(n, start + BLOCK), out.buf, p);
  out.pos = p;
}

function compressBlock(s: Uint8Array, start: number, end: number, out: Uint8Array, p: number): number {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN) {
    table.fill(0);
    const ipLimit = end - INPUT_MARGIN;
    let ip = start + 1;
    outer: for (;;) {
      // Find a 4-byte match, skipping faster the longer nothing matches (incompressible data).
      let skip = 32;
      let candidate: number;
      for (;;) {
        const h = hash(load32(s, ip));
        candidate = start + table[h]!;
        table[h] = ip - start;
        if (load32(s, candidate) === load32(s, ip) && candidate < ip) break;
        ip += skip++ >>> 5;
        if (ip > ipLimit) break outer;
      }
      p = emitLiteral(s, nextEmit, ip, out, p);
      // Emit copies while the next position matches too.
      for (;;) {
        let m = 4;
        while (ip + m < end && s[ip + m] === s[candidate + m]) m++;
        p = emitCopy(ip - candidate, m, out, p);
        ip += m;
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[hash(load32(s, ip - 1))] = ip - 1 - start;
        const h = hash(load32(s, ip));
        candidate = start + table[h]!;
        table[h] = ip - start;
        if (load32(s, candidate) !== load32(s, ip)) break;
      }
      ip++;
    }
  }
  return emitLiteral(s, nextEmit, end, out, p);
}

function emitLiteral(s: Uint8Array, from: number, to: number, out: Uint8Array, p: number): number {
  const len = to - from;
  if (len === 0) return p;
  const n = len - 1;
  if (n < 60) out[p++] = n << 2;
  else if (n < 0x100) {
    out[p++] = 60 << 2;
    out[p++] = n;
  } else if (n < 0x10000) {
    out[p++] = 61 << 2;
    out[p++] = n & 0xff;
    out[p++] = n >>> 8;
  } else if (n < 0x1000000) {
    out[p++] = 62 << 2;
    out[p++] = n & 0xff;
    out[p++] = (n >>> 8) & 0xff;
    out[p++] = n >>> 16;
  } else {
    out[p++] = 63 << 2;
    out[p++] = n & 0xff;
    out[p++] = (n >>> 8) & 0xff;
    out[p++] = (n >>> 16) & 0xff;
    out[p++] = n >>> 24;
  }
  if (len < 16) for (let k = from; k < to; k++) out[p++] = s[k]!;
  else {
    out.set(s.subarray(from, to), p);
    p += len;
  }
  return p;
}

/** A back-reference of `len` bytes at distance `offset` (< 65536), split into pieces of at most 64. */
function emitCopy(offset: number, len: number, out: Uint8Array, p: number): number {
  while (len >= 68) {
    p = copy2(offset, 64, out, p);
    len -= 64;
  }
  if (len > 64) {
    p = copy2(offset, 60, out, p);
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    out[p++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[p++] = offset & 0xff;
    return p;
  }
  return copy2(offset, len, out, p);
}

function copy2(offset: number, len: number, out: Uint8Array, p: number): number {
  out[p++] = 2 | ((len - 1) << 2);
  out[p++] = offset & 0xff;
  out[p++] = offset >>> 8;
  return p;
}
