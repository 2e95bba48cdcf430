// Issue 14's promise, walked over every package at once: every exported options schema is
// strict, and every public function that takes options names an unknown key and its nearest
// valid neighbour in one InvalidOptionError, never a raw ZodError or TypeError.
import * as backtest from "@nmrblox/backtest";
import * as costModel from "@nmrblox/cost-model";
import * as downloader from "@nmrblox/downloader";
import * as evaluator from "@nmrblox/evaluator";
import * as numerframe from "@nmrblox/numerframe";
import { InvalidOptionError, NumerFrameError } from "@nmrblox/numerframe";
import * as portfolio from "@nmrblox/portfolio";
import * as ranker from "@nmrblox/ranker";
import * as submitter from "@nmrblox/submitter";
import * as synthetic from "@nmrblox/synthetic";
import * as universeFilter from "@nmrblox/universe-filter";
import { describe, expect, it } from "vitest";
import type { z } from "zod";

const packages: Record<string, Record<string, unknown>> = {
  backtest,
  "cost-model": costModel,
  downloader,
  evaluator,
  numerframe,
  portfolio,
  ranker,
  submitter,
  synthetic,
  "universe-filter": universeFilter,
};

function isSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value && "safeParse" in value;
}

const schemas = Object.entries(packages).flatMap(([pkg, mod]) =>
  Object.entries(mod)
    .filter(([name, value]) => /Options$/.test(name) && isSchema(value))
    .map(([name, value]) => ({ pkg, name, schema: value as z.ZodType })),
);

describe("every exported options schema is strict", () => {
  it("finds the schemas", () => {
    // One per public function that takes options; a drop here means a schema went missing.
    expect(schemas.length).toBeGreaterThanOrEqual(30);
  });

  it.each(schemas.map((s) => [`${s.pkg}.${s.name}`, s.schema] as const))("%s rejects an unknown key", (_, schema) => {
    const raw = schema.safeParse({ zzBogusOption: 1 });
    expect(raw.success).toBe(false);
    expect(raw.error!.issues.some((i) => i.code === "unrecognized_keys")).toBe(true);
    let error: unknown;
    try {
      numerframe.parseOptions(schema, { zzBogusOption: 1 }, "test");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    const problem = (error as InvalidOptionError).problems.find((p) => p.path === "zzBogusOption");
    expect(problem?.message).toBe("unknown option");
    expect(typeof problem?.suggestion).toBe("string");
  });
});

async function failure(fn: () => unknown): Promise<InvalidOptionError> {
  try {
    await fn();
  } catch (e) {
    if (!NumerFrameError.isInstance(e)) throw new Error(`expected an nmrblox error, got ${String(e)}`);
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("expected InvalidOptionError, nothing was thrown");
}

describe("public functions name a misspelled option and the nearest valid one", () => {
  const small = synthetic.syntheticCrypto({ symbols: 12, start: "2024-01-01", end: "2024-02-29", seed: 3 });
  const input = { signals: small.signals, market: small.market };

  it.each([
    ["runBacktest netting", () => backtest.runBacktest({ ...input, nettng: false } as never), "nettng", "netting"],
    ["runBacktest portfolio.short", () => backtest.runBacktest({ ...input, portfolio: { shrot: 5 } } as never), "portfolio.shrot", "short"],
    ["syntheticCrypto symbols", () => synthetic.syntheticCrypto({ symbol: 60 } as never), "symbol", "symbols"],
    ["scoreByEra topBottom", () => evaluator.scoreByEra(small.signals, { predictions: ["prediction"], targets: ["target"], topbottom: 5 } as never), "topbottom", "topBottom"],
    ["readParquet columns", () => numerframe.readParquet("/nonexistent.parquet", { colums: ["a"] } as never), "colums", "columns"],
    ["NumeraiClient retries", () => new downloader.NumeraiClient({ retrys: 3 } as never), "retrys", "retry"],
    ["BybitClient baseUrl", () => new downloader.BybitClient({ baseURL: "http://127.0.0.1:9" } as never), "baseURL", "baseUrl"],
  ] as const)("%s", async (_, call, path, suggestion) => {
    const e = await failure(call);
    const problem = e.problems.find((p) => p.path === path || p.path.endsWith(path));
    expect(problem, e.message).toBeDefined();
    expect(suggestion.endsWith(problem!.suggestion!)).toBe(true);
  });
});
