/**
 * A hash set of byte strings that numbers them in insertion order: the dictionary of a string
 * column chunk. Entries are kept in one byte buffer with offsets, hashed with FNV-1a and found
 * by open addressing, so no JavaScript string is made per row.
 */
export class ByteDictionary {
  /** Entry bytes, back to back. */
  bytes: Uint8Array;
  /** offsets[i]..offsets[i + 1] are entry i's bytes. */
  offsets: Int32Array;
  size = 0;
  private slots: Int32Array;
  private hashes: Int32Array;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  /**
   * @param maxEntries - more distinct values than this make `add` fail
   * @param maxBytes - more entry bytes than this make `add` fail
   */
  constructor(maxEntries: number, maxBytes: number) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.bytes = new Uint8Array(1024);
    this.offsets = new Int32Array(257);
    this.hashes = new Int32Array(256);
    this.slots = new Int32Array(1024).fill(-1);
  }

  /** Total bytes of the entries. */
  get byteLength(): number {
    return this.offsets[this.size]!;
  }

  /**
   * The index of src[start..end), added when new.
   *
   * @returns the entry index, or -1 when adding it would pass a limit (the dictionary is then
   *   left as it was)
   */
  add(src: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ src[k]!, 0x01000193);
    const mask = this.slots.length - 1;
    let s = h & mask;
    const len = end - start;
    for (;;) {
      const e = this.slots[s]!;
      if (e < 0) break;
      if (this.hashes[e] === h && this.equals(e, src, start, len)) return e;
      s = (s + 1) & mask;
    }
    if (this.size >= this.maxEntries || this.byteLength + len > this.maxBytes) return -1;
    const e = this.size;
    this.append(src, start, end, h);
    this.slots[s] = e;
    if (this.size * 2 > this.slots.length) this.rehash();
    return e;
  }

  private equals(e: number, src: Uint8Array, start: number, len: number): boolean {
    const o = this.offsets[e]!;
    if (this.offsets[e + 1]! - o !== len) return false;
    const b = this.bytes;
    for (let k = 0; k < len; k++) if (b[o + k] !== src[start + k]) return false;
    return true;
  }

  private append(src: Uint8Array, start: number, end: number, h: number): void {
    const at = this.byteLength;
    const len = end - start;
    if (at + len > this.bytes.length) {
      const next = new Uint8Array(Math.max(this.bytes.length * 2, at + len));
      next.set(this.bytes.subarray(0, at));
      this.bytes = next;
    }
    const b = this.bytes;
    for (let k = start, q = at; k < end; k++, q++) b[q] = src[k]!;
    if (this.size + 2 > this.offsets.length) {
      const next = new Int32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    if (this.size >= this.hashes.length) {
      const nh = new Int32Array(this.hashes.length * 2);
      nh.set(this.hashes);
      this.hashes = nh;
    }
    this.hashes[this.size] = h;
    this.size++;
    this.offsets[this.size] = at + len;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      let s = this.hashes[e]! & mask;
      while (slots[s]! >= 0) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

/**
 * Unsigned byte-wise comparison (Parquet's order for BYTE_ARRAY statistics: UTF-8 bytes as
 * unsigned, shorter prefix first).
 *
 * @returns negative, 0 or positive as a[ao..ao+al) sorts before, with or after b[bo..bo+bl)
 */
export function compareBytes(a: Uint8Array, ao: number, al: number, b: Uint8Array, bo: number, bl: number): number {
  const n = Math.min(al, bl);
  for (let k = 0; k < n; k++) {
    const d = a[ao + k]! - b[bo + k]!;
    if (d !== 0) return d;
  }
  return al - bl;
}
