import { ByteWriter } from "./byte-writer.js";

/** Thrift compact protocol type ids (thrift/doc/specs/thrift-compact-protocol.md). */
export const CT = {
  BOOLEAN_TRUE: 1,
  BOOLEAN_FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

const utf8 = new TextEncoder();

/** Zigzag of a 32-bit signed integer, as an unsigned 32-bit number. */
const zigzag32 = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0;

/**
 * Writes Thrift structs in the compact protocol: field headers carry the delta from the
 * previous field id of the same struct, so nested structs keep a stack of last ids. Fields
 * must be written in ascending id order within a struct (the short header needs a positive
 * delta; Parquet readers accept either, ascending keeps it canonical).
 */
export class ThriftWriter {
  readonly out: ByteWriter;
  private last = 0;
  private readonly stack: number[] = [];

  constructor(out: ByteWriter = new ByteWriter(1024)) {
    this.out = out;
  }

  private field(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.out.varint(zigzag32(id));
    }
    this.last = id;
  }

  i32(id: number, v: number): void {
    this.field(id, CT.I32);
    this.out.varint(zigzag32(v));
  }

  i16(id: number, v: number): void {
    this.field(id, CT.I16);
    this.out.varint(zigzag32(v));
  }

  /** An i64 from a number (exact up to 2^53: file offsets and counts). */
  i64(id: number, v: number): void {
    this.field(id, CT.I64);
    this.out.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** An i8 field (Thrift `byte`): one raw byte. */
  i8(id: number, v: number): void {
    this.field(id, CT.BYTE);
    this.out.byte(v & 0xff);
  }

  bool(id: number, v: boolean): void {
    this.field(id, v ? CT.BOOLEAN_TRUE : CT.BOOLEAN_FALSE);
  }

  binary(id: number, bytes: Uint8Array): void {
    this.field(id, CT.BINARY);
    this.out.varint(bytes.length);
    this.out.bytes(bytes);
  }

  string(id: number, s: string): void {
    this.binary(id, utf8.encode(s));
  }

  /** Starts a struct-typed field; close it with `structEnd`. */
  structBegin(id: number): void {
    this.field(id, CT.STRUCT);
    this.elementBegin();
  }

  /** Starts a struct that is a list element (no field header); close it with `structEnd`. */
  elementBegin(): void {
    this.stack.push(this.last);
    this.last = 0;
  }

  structEnd(): void {
    this.out.byte(0);
    this.last = this.stack.pop() ?? 0;
  }

  /** A list field header; the caller then writes `size` elements of `elemType`. */
  listBegin(id: number, elemType: number, size: number): void {
    this.field(id, CT.LIST);
    if (size < 15) this.out.byte((size << 4) | elemType);
    else {
      this.out.byte(0xf0 | elemType);
      this.out.varint(size);
    }
  }

  /** A list element of type i32. */
  elementI32(v: number): void {
    this.out.varint(zigzag32(v));
  }

  /** A list element of type binary (string). */
  elementString(s: string): void {
    const b = utf8.encode(s);
    this.out.varint(b.length);
    this.out.bytes(b);
  }

  /** Ends the top-level struct (its STOP byte); the writer can then start another. */
  end(): void {
    this.out.byte(0);
    this.last = 0;
    this.stack.length = 0;
  }

  /** Drops everything written, to start a new top-level struct. */
  reset(): void {
    this.out.reset();
    this.last = 0;
    this.stack.length = 0;
  }

  /** Bytes appended verbatim (a pre-encoded list element). */
  raw(bytes: Uint8Array): void {
    this.out.bytes(bytes);
  }
}
