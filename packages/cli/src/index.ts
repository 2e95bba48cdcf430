export { main } from "./main.js";
export { createProgram, commandPaths, type RunState } from "./program.js";
export { type Io, type InStream, type OutStream, type OutputMode, processIo } from "./io.js";
export { UsageError, exitCodeOf } from "./errors.js";
export { configFile, CONFIG_FILE, demoOptions, loadConfig, parseSets, type LoadedConfig } from "./config.js";
export { FORMATS, formatOf, parseColumnMap, type FileFormat } from "./files.js";
