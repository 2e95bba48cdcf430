import { UsageError } from "./errors.js";

/**
 * A commander value parser for a whole number flag.
 *
 * @param flag - the flag's name, for the message
 * @returns the parser
 * @throws UsageError naming the flag and the value (exit 2)
 * @example
 * cmd.option("--long <n>", "long leg", integer("--long"));
 */
export function integer(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n)) throw new UsageError(`${flag}: "${value}" is not a whole number`, { option: flag });
    return n;
  };
}

/**
 * A commander value parser for a finite number flag.
 *
 * @param flag - the flag's name, for the message
 * @returns the parser
 * @throws UsageError naming the flag and the value (exit 2)
 * @example
 * cmd.option("--leverage <x>", "leverage", float("--leverage"));
 */
export function float(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${flag}: "${value}" is not a number`, { option: flag });
    return n;
  };
}

/**
 * A commander value parser for a rate per side: a fraction (0.00055), or a percentage with a
 * "%" sign ("0.055%").
 *
 * @param flag - the flag's name, for the message
 * @returns the parser
 * @throws UsageError naming the flag and the value (exit 2)
 * @example
 * rate("--fee")("0.055%"); // 0.00055
 */
export function rate(flag: string): (value: string) => number {
  return (value) => {
    const percent = value.trim().endsWith("%");
    const n = Number(percent ? value.trim().slice(0, -1) : value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${flag}: "${value}" is not a rate (0.00055 or 0.055%)`, { option: flag });
    return percent ? n / 100 : n;
  };
}

/** A commander collector for a repeatable flag (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Comma-separated values of a flag (`--symbols BTCUSDT,ETHUSDT`), blanks dropped. */
export function list(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",").map((s) => s.trim()).filter((s) => s !== "")];
}
