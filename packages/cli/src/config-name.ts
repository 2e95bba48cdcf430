/** The config file looked for in the working directory when `--config` is not given. */
export const CONFIG_FILE = "nmrblox.config.json";
