#!/usr/bin/env node
import { main } from "./main.js";

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Keep-alive sockets or a lingering worker must not hold the shell: leave shortly after the
// output is flushed (process.exitCode is used if the loop empties first).
setTimeout(() => process.exit(code), 100).unref();
