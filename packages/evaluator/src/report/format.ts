/** Number formats shared by the HTML and Markdown reports; null and non-finite print as "–". */
export const DASH = "–";

/** "-0.00" (a tiny negative rounded away) reads as 0. */
function unsignedZero(text: string): string {
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** A fraction as a percentage: 0.1234 → "12.34%". */
export function pct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : `${unsignedZero((x * 100).toFixed(digits))}%`;
}

/** A plain number with fixed digits. */
export function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : unsignedZero(x.toFixed(digits));
}

/** A small PnL amount (fraction of initial capital) with 4 significant decimals. */
export function amount(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : unsignedZero(x.toFixed(4));
}

/** Any option or provenance value as compact text (JSON for objects and arrays). */
export function valueText(v: unknown): string {
  if (v === undefined) return DASH;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  } catch {
    return String(v);
  }
}
