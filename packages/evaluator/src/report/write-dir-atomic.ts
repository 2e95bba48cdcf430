import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ReportError } from "./errors.js";

/** The file whose presence marks a folder as a report folder that may be replaced. */
export const REPORT_MARKER = "report.html";

async function existing(path: string): Promise<"dir" | "file" | null> {
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * Repairs what a writer killed mid-way left beside `target`: when `target` is missing but a
 * folder moved aside (`.name.old-*`) survives, it is put back, so readers see the previous
 * report again; leftover temporary (`.name.tmp-*`) and moved-aside folders are removed. Only
 * folders of writers that are no longer running are touched (the pid is in the name).
 */
async function recover(target: string): Promise<void> {
  const parent = dirname(target);
  const base = basename(target);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const leftovers = names
    .map((n) => /^\.(.*)\.(tmp|old)-(\d+)-[0-9a-f]+$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === base && !alive(Number(m[3])));
  const olds = leftovers.filter((m) => m[2] === "old");
  if ((await existing(target)) === null && olds.length > 0) await rename(join(parent, olds[0]![0]), target);
  for (const m of leftovers) await rm(join(parent, m[0]), { recursive: true, force: true });
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Writes a folder of files atomically: every file goes into a temporary folder beside
 * `outDir`, each flushed to disk; only then is an existing `outDir` moved aside, the new folder
 * renamed into place and the old one removed. On any failure the temporary folder is removed
 * and an existing `outDir` is left (or put back) as it was. An existing `outDir` that is
 * neither empty nor a report folder (no `report.html`) is refused, so a wrong path cannot wipe
 * unrelated files. A writer killed between moving the old folder aside and renaming the new one
 * into place is repaired by the next call: the previous report is put back first, and stale
 * temporary folders are removed.
 *
 * @param outDir - the folder to write (created or replaced as a whole)
 * @param files - file names inside it and their contents
 * @throws ReportError OUT_DIR_IS_FILE, OUT_DIR_NOT_REPORT or WRITE_FAILED, with `path`
 * @example
 * await writeDirAtomic("out/report", new Map([["report.html", html], ["equity.svg", svg]]));
 */
export async function writeDirAtomic(outDir: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await recover(target);
  const kind = await existing(target);
  if (kind === "file") throw new ReportError("OUT_DIR_IS_FILE", `renderReport: ${target} is a file, not a folder`, { path: target });
  if (kind === "dir") {
    const entries = await readdir(target);
    if (entries.length > 0 && !entries.includes(REPORT_MARKER)) {
      throw new ReportError(
        "OUT_DIR_NOT_REPORT",
        `renderReport: ${target} holds files but no ${REPORT_MARKER}; refusing to replace a folder that is not a report`,
        { path: target },
      );
    }
  }
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${suffix}`);
  const old = join(parent, `.${basename(target)}.old-${suffix}`);
  try {
    await mkdir(tmp);
    for (const [name, content] of files) {
      const handle = await open(join(tmp, name), "wx");
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new ReportError("WRITE_FAILED", `renderReport: writing the report failed, ${target} left unchanged: ${(err as Error).message}`, { path: target }, err);
  }
  let movedAside = false;
  try {
    if (kind === "dir") {
      await rename(target, old);
      movedAside = true;
    }
    await rename(tmp, target);
  } catch (err) {
    if (movedAside) await rename(old, target).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new ReportError("WRITE_FAILED", `renderReport: replacing ${target} failed, previous report kept: ${(err as Error).message}`, { path: target }, err);
  }
  if (movedAside) await rm(old, { recursive: true, force: true });
}
