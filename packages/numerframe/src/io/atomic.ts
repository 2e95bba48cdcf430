import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FrameIOError, NumerFrameError } from "../errors.js";

/** Content for an atomic write: bytes, a string, or chunks produced one at a time. */
export type AtomicContent = Uint8Array | string | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

const TMP_MARK = ".tmp-";

/** Name of a temporary file beside `path`; the pid lets a later run tell a crashed writer's files. */
const tempPath = (path: string) => join(dirname(path), `.${basename(path)}${TMP_MARK}${process.pid}-${randomBytes(4).toString("hex")}`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temporary files that writers of `path` left when they were killed: those whose
 * writer process no longer runs. Files of a live writer are left alone.
 */
async function cleanStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}${TMP_MARK}`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(dirname(path), name), { force: true }).catch(() => undefined);
  }
}

/** Writes content to a new temporary file beside `path`, flushed to disk; returns its path. */
async function writeTemp(path: string, content: AtomicContent): Promise<string> {
  const tmp = tempPath(path);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(tmp, "wx");
    if (typeof content === "string" || content instanceof Uint8Array) {
      await handle.writeFile(content);
    } else {
      for await (const chunk of content as AsyncIterable<Uint8Array | string>) {
        await (typeof chunk === "string" ? handle.write(chunk) : handle.write(chunk));
      }
    }
    await handle.sync();
    await handle.close();
    return tmp;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

function wrap(path: string, err: unknown): NumerFrameError {
  if (NumerFrameError.isInstance(err)) return err;
  return new FrameIOError(path, `write failed, existing file left unchanged: ${(err as Error).message}`, err);
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, is flushed
 * to disk, then renamed over the target. If anything fails, the temporary file is removed and
 * an existing target is left whole; temporary files of writers that were killed are removed
 * on the next write of the same target.
 *
 * @param path - the target file (its folder is created when missing)
 * @param content - bytes, a string, or chunks produced one at a time
 * @returns when the file is on disk under its final name
 * @throws FrameIOError (IO) naming the file when any step fails; an nmrblox error raised while
 *   producing the content is passed on as it is
 * @example
 * await writeFileAtomic("out/report.json", JSON.stringify(report));
 */
export async function writeFileAtomic(path: string, content: AtomicContent): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await cleanStaleTemps(path);
    const tmp = await writeTemp(path, content);
    try {
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  } catch (err) {
    throw wrap(path, err);
  }
}

/** One file of a multi-file commit: content to write, a function giving it once earlier files are written, or null to delete the file. */
export interface CommitEntry {
  path: string;
  content: AtomicContent | (() => AtomicContent) | null;
}

interface CommitRecord {
  moves: Array<{ from: string; to: string }>;
  deletes: string[];
}

const recordPath = (key: string) => join(dirname(key), `.${basename(key)}.nmrblox-commit`);

async function applyRecord(record: CommitRecord): Promise<void> {
  for (const { from, to } of record.moves) {
    try {
      await rename(from, to);
    } catch (err) {
      // Already moved by another process finishing the same commit.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  for (const d of record.deletes) await rm(d, { force: true });
}

/**
 * Finishes a multi-file commit of `key` that a killed writer left half-done (its record lists
 * every temporary file and its target): readers and writers call this first, so they see the
 * new set of files whole.
 *
 * @param key - the commit's key file (the data file of a CSV + sidecar pair)
 * @returns when no commit of `key` is pending
 * @throws FrameIOError (IO) when a rename fails for another reason than a finished move
 * @example
 * await recoverCommit("signals.csv");
 */
export async function recoverCommit(key: string): Promise<void> {
  const rec = recordPath(key);
  let text: string;
  try {
    text = await readFile(rec, "utf8");
  } catch {
    return;
  }
  try {
    await applyRecord(JSON.parse(text) as CommitRecord);
    await rm(rec, { force: true });
  } catch (err) {
    throw new FrameIOError(key, `finishing an interrupted write failed: ${(err as Error).message}`, err);
  }
}

/**
 * Writes several files as one unit. Each is written to a flushed temporary file; then a commit
 * record naming every move is written atomically, the moves are made, and the record removed.
 * A writer killed before the record exists leaves the old files (its temporary files are
 * removed by the next write); killed after, the next reader or writer finishes the moves. So
 * the files are always all old or all new.
 *
 * @param key - the file that names the unit (its commit record lives beside it)
 * @param entries - files to write (in order) or delete
 * @returns when every file is in place
 * @throws FrameIOError (IO) naming the file when a step fails (nothing is published then)
 * @example
 * await commitFiles("a.csv", [{ path: "a.csv", content: csv }, { path: "a.csv.nmrblox.json", content: () => json }]);
 */
export async function commitFiles(key: string, entries: readonly CommitEntry[]): Promise<void> {
  const temps: string[] = [];
  let at = key;
  try {
    await mkdir(dirname(key), { recursive: true });
    await recoverCommit(key);
    const record: CommitRecord = { moves: [], deletes: [] };
    for (const e of entries) {
      at = e.path;
      await cleanStaleTemps(e.path);
      if (e.content === null) {
        record.deletes.push(e.path);
        continue;
      }
      const content = typeof e.content === "function" ? e.content() : e.content;
      const tmp = await writeTemp(e.path, content);
      temps.push(tmp);
      record.moves.push({ from: tmp, to: e.path });
    }
    at = key;
    await writeFileAtomic(recordPath(key), JSON.stringify(record));
    temps.length = 0;
    await applyRecord(record);
    await rm(recordPath(key), { force: true });
  } catch (err) {
    for (const t of temps) await rm(t, { force: true }).catch(() => undefined);
    throw wrap(at, err);
  }
}
