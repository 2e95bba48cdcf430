// Synthetic data generation: the default crypto world (500 symbols, 2021-2025) must take < 3 s and < 1 GB.
import { syntheticClassic, syntheticCrypto } from "@nmrblox/synthetic";
import { bench, printResults } from "./harness.js";

const probe = syntheticCrypto();
const cryptoRows = probe.signals.numRows + probe.market.numRows + probe.targets.numRows;

await bench({
  name: `syntheticCrypto default (${probe.signals.numRows} signal + ${probe.market.numRows} market rows)`,
  rows: cryptoRows,
  runs: 3,
  targetMs: 3000,
  run: () => syntheticCrypto(),
});
await bench({
  name: "syntheticCrypto small (30 symbols, one quarter)",
  runs: 10,
  run: () => syntheticCrypto({ symbols: 30, start: "2024-01-01", end: "2024-03-31" }),
});
await bench({
  name: "syntheticClassic default (100 eras x 500 ids x 48 features)",
  rows: 50_000,
  runs: 3,
  run: () => syntheticClassic(),
});
printResults("synthetic");
