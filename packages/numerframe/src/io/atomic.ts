import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FrameIOError, NumerFrameError } from "../errors.js";

/** Content for an atomic write: bytes, a string, or chunks produced one at a time. */
export type AtomicContent = Uint8Array | string | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

/**
 * Writes a file atomically: the content goes to a temporary file beside the target, is flushed
 * to disk, then renamed over the target. If anything fails, the temporary file is removed and
 * an existing target is left whole.
 *
 * @param path - the target file (its folder is created when missing)
 * @param content - bytes, a string, or chunks produced one at a time
 * @returns when the file is on disk under its final name
 * @throws FrameIOError (IO) naming the file when any step fails
 * @example
 * await writeFileAtomic("out/report.json", JSON.stringify(report));
 */
export async function writeFileAtomic(path: string, content: AtomicContent): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
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
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    if (NumerFrameError.isInstance(err)) throw err;
    throw new FrameIOError(path, `write failed, existing file left unchanged: ${(err as Error).message}`, err);
  }
}
