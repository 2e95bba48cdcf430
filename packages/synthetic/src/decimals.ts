/**
 * Rounds a positive price to 6 significant digits as a decimal k / 10^d (d at most 15), so
 * the double equals what parsing its Bybit-style decimal string gives back.
 */
export function roundPrice(price: number): number {
  const d = Math.min(15, Math.max(0, 5 - Math.floor(Math.log10(price))));
  const scale = 10 ** d;
  return Math.round(price * scale) / scale;
}

/**
 * A number as a plain decimal string, never in exponent form ("0.00000012", not "1.2e-7"),
 * as Bybit prints prices and rates. Parsing it gives back the same double.
 */
export function decimalString(value: number): string {
  const s = String(value);
  if (!s.includes("e")) return s;
  const [mantissa, exp] = s.split("e") as [string, string];
  const e = Number(exp);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const point = mantissa.replace("-", "").indexOf(".");
  const intLen = (point < 0 ? digits.length : point) + e;
  let out: string;
  if (intLen <= 0) out = `0.${"0".repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + "0".repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return negative ? `-${out}` : out;
}
