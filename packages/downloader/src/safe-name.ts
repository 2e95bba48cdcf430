import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { UnsafeNameError } from "./errors.js";

/**
 * True for a relative path of plain segments: no "", ".", ".." segment, no backslash, no
 * control character, no drive letter or leading "/", at most 1,024 characters.
 *
 * @param name - a name from a server or a caller
 * @returns whether it can become a path under a folder
 * @throws nothing
 * @example
 * isSafeRelativePath("crypto/v1.0/live.parquet"); // true
 * isSafeRelativePath("../../etc/passwd"); // false
 */
export function isSafeRelativePath(name: string): boolean {
  if (name.length === 0 || name.length > 1024) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\:]/.test(name) || name.startsWith("/") || isAbsolute(name)) return false;
  return name.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/**
 * `root` joined with a name from a server, refused unless the result stays inside `root`.
 *
 * @param root - the folder
 * @param name - a relative path from a server (dataset path) or a single name (exchange symbol)
 * @param what - what the name is, for the error ("dataset path", "exchange symbol")
 * @param single - true when `name` must be one segment (no "/")
 * @returns the joined path
 * @throws UnsafeNameError when the name is not a plain relative path inside `root`
 * @example
 * safeJoin("/cache", "v5.2/live.parquet", "dataset path"); // "/cache/v5.2/live.parquet"
 */
export function safeJoin(root: string, name: string, what: string, single = false): string {
  if (typeof name !== "string" || !isSafeRelativePath(name) || (single && name.includes("/"))) throw new UnsafeNameError(String(name), what);
  const out = join(root, ...name.split("/"));
  const rel = relative(resolve(root), resolve(out));
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) throw new UnsafeNameError(name, what);
  return out;
}
