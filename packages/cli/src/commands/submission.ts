import { NumeraiClient, loadNumeraiDataset } from "@nmrblox/downloader";
import type { NumerFrame } from "@nmrblox/numerframe";
import { SUBMISSION_RULES, type SubmissionTournament, submissionTournament, submit, validateSubmission } from "@nmrblox/submitter";
import { layer, numeraiSection, parseSets, submitSection } from "../config.js";
import type { CommandResult, Context } from "../context.js";
import { outPath, validateOptions } from "../context.js";
import { UsageError, blame, unknownValue } from "../errors.js";
import { pairs } from "../format.js";

/** Flags of `nmrblox validate`. */
export interface ValidateFlags {
  tournament?: string;
  live?: string;
}

/** Flags of `nmrblox submit`. */
export interface SubmitFlags extends ValidateFlags {
  model?: string;
  dryRun?: boolean;
  format?: string;
  dir?: string;
  numeraiUrl?: string;
}

/** The tournament from the flag or the config file, checked. */
function tournamentOf(flag: string | undefined, fromFile: unknown): SubmissionTournament {
  const value = flag ?? (typeof fromFile === "string" ? fromFile : undefined);
  if (value === undefined) throw new UsageError("--tournament is required (classic, signals or crypto)", { option: "--tournament" });
  const valid = submissionTournament.options;
  if (!valid.includes(value as SubmissionTournament)) throw unknownValue("tournament", value, valid, "--tournament");
  return value as SubmissionTournament;
}

/** The submission's own ids: the live universe when no --live file is given. */
function ownIds(frame: NumerFrame, tournament: SubmissionTournament): readonly string[] {
  const idCol = SUBMISSION_RULES[tournament].idCols.find((c) => frame.has(c));
  if (idCol === undefined) return [];
  const values = frame.column(idCol);
  return ArrayBuffer.isView(values) ? Array.from(values as ArrayLike<number>, String) : frame.strings(idCol);
}

/**
 * `nmrblox validate`: checks a submission file with Numerai's own rules (`validateSubmission`).
 * The live universe comes from `--live FILE` (e.g. Numerai's live.parquet); without it the
 * file's own ids stand in, so header, NaN, range, duplicate and spread rules are checked but
 * coverage of the live universe is not.
 *
 * @param ctx - the command context
 * @param file - the submission file
 * @param flags - the command's flags
 * @returns the JSON document: valid, rows, id and prediction columns, ids outside the universe
 * @throws SubmissionError listing every broken rule (exit 1); UsageError (exit 2)
 * @example
 * await validateCommand(ctx, "submission.csv", { tournament: "crypto" });
 */
export async function validateCommand(ctx: Context, file: string, flags: ValidateFlags): Promise<CommandResult> {
  const tournament = tournamentOf(flags.tournament, (ctx.config.sections.validate as { tournament?: unknown } | undefined)?.tournament);
  await ctx.reader.locate(file, "validate");
  if (flags.live !== undefined) await ctx.reader.locate(flags.live, "--live");
  const frame = await ctx.reader.read(file, "validate");
  const live = flags.live !== undefined ? await ctx.reader.read(flags.live, "--live") : undefined;
  ctx.reader.checkMapUsed();
  let checked: ReturnType<typeof validateSubmission>;
  try {
    checked = validateSubmission(frame, { tournament, liveIds: live ?? ownIds(frame, tournament) });
  } catch (error) {
    throw blame(error, file, "validate");
  }
  const liveSource = live !== undefined ? "file" : "self";
  ctx.out.print(`${file}: a valid ${tournament} submission`);
  ctx.out.print(
    pairs([
      ["rows scored", checked.rows],
      ["id column", checked.idCol],
      ["prediction column", checked.predictionCol],
      ["ids outside the universe", checked.invalidIds.length],
      ["live universe", live !== undefined ? flags.live : "not given (--live FILE): coverage not checked"],
    ]),
  );
  for (const w of checked.warnings) ctx.out.warn(w);
  return { command: "validate", file, tournament, valid: true, liveUniverse: liveSource, ...checked };
}

/**
 * `nmrblox submit`: validates, resolves the model and uploads in Numerai's three steps
 * (`submit`), or with `--dry-run` writes the file and lists the requests without sending them.
 * API keys come only from NUMERAI_PUBLIC_ID and NUMERAI_SECRET_KEY. The live universe comes
 * from `--live FILE`, else from Numerai's current live dataset.
 *
 * @param ctx - the command context
 * @param file - the submission file
 * @param flags - the command's flags
 * @returns the JSON document: the dry-run plan, or the submission id
 * @throws SubmissionError (exit 1), SubmitError naming the failed step (exit 1), UsageError (exit 2)
 * @example
 * await submitCommand(ctx, "submission.csv", { model: "my_model", tournament: "crypto", dryRun: true });
 */
export async function submitCommand(ctx: Context, file: string, flags: SubmitFlags): Promise<CommandResult> {
  const sections = ctx.config.sections;
  const fileOptions = (sections.submit ?? {}) as Record<string, unknown>;
  const tournament = tournamentOf(flags.tournament, fileOptions.tournament);
  const sets = parseSets(ctx.sets, submitSection, "nmrblox submit");
  const merged = layer(fileOptions, sets, [
    ["tournament", tournament],
    ["model", flags.model],
    ["format", flags.format],
    ["dir", flags.dir !== undefined ? outPath(ctx, flags.dir) : undefined],
  ]);
  if (merged.model === undefined) throw new UsageError("--model is required (a model name of your account, or its id)", { option: "--model" });
  const options = validateOptions(
    submitSection,
    merged,
    "nmrblox submit",
    new Map([
      ["model", "--model"],
      ["format", "--format"],
    ]),
  );
  await ctx.reader.locate(file, "submit");
  if (flags.live !== undefined) await ctx.reader.locate(flags.live, "--live");

  const numerai = validateOptions(numeraiSection, layer(sections.numerai, [], [["baseUrl", flags.numeraiUrl]]), "nmrblox submit", new Map([["baseUrl", "--numerai-url"]]));
  const client = new NumeraiClient({
    ...numerai,
    // Keys only from the environment: never from flags (shell history) or the config file.
    ...(ctx.io.env.NUMERAI_PUBLIC_ID ? { publicId: ctx.io.env.NUMERAI_PUBLIC_ID } : {}),
    ...(ctx.io.env.NUMERAI_SECRET_KEY ? { secretKey: ctx.io.env.NUMERAI_SECRET_KEY } : {}),
  });
  const frame = await ctx.reader.read(file, "submit");
  let live: NumerFrame;
  if (flags.live !== undefined) live = await ctx.reader.read(flags.live, "--live");
  else {
    ctx.out.step(`downloading Numerai's ${tournament} live universe`);
    const bytes = ctx.out.progress("live");
    live = await loadNumeraiDataset(tournament, "live", { client, onProgress: (e) => e.total !== undefined && bytes(e.done, e.total) });
    bytes.end();
  }
  ctx.reader.checkMapUsed();
  ctx.out.step(`${flags.dryRun ? "dry run: " : ""}submitting ${file} as ${options.model} (${tournament})`);
  const result = await submit(frame, {
    ...options,
    tournament,
    model: options.model!,
    client,
    liveIds: live,
    dryRun: flags.dryRun === true,
    onProgress: (e) => ctx.out.step(e.message),
  }).catch((error: unknown) => {
    throw blame(error, file, "submit");
  });

  const { validation, ...rest } = result;
  if (result.dryRun) {
    ctx.out.print(`Dry run: wrote ${result.path} (${result.bytes} bytes); nothing was sent. It would send:`);
    for (const r of result.requests) ctx.out.print(`  ${r.step}: ${"operationName" in r ? r.operationName : `${r.method} ${r.url} (${r.bytes} bytes)`}`);
  } else {
    ctx.out.print(`Submitted ${result.path} as model ${result.modelName}: submission ${result.submissionId}`);
  }
  return { command: "submit", file, ...rest, rows: validation.rows, invalidIds: validation.invalidIds, warnings: validation.warnings };
}
