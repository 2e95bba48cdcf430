#!/usr/bin/env node
import { main } from "./main.js";

// `nmrblox ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Keep-alive sockets or a lingering worker must not hold the shell: leave shortly after the
// output is flushed (process.exitCode is used if the loop empties first).
setTimeout(() => process.exit(code), 100).unref();
