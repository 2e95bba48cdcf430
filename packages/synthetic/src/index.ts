export { Sfc32, substream } from "./prng.js";
// The errors this package throws, re-exported so callers need not import numerframe to catch them.
export { InvalidOptionError, FrameIOError } from "@nmrblox/numerframe";
export {
  syntheticCrypto,
  syntheticCryptoOptions,
  type SyntheticCrypto,
  type SyntheticCryptoOptions,
  type SyntheticCryptoConfig,
} from "./crypto.js";
export {
  syntheticClassic,
  syntheticClassicOptions,
  writeSyntheticClassic,
  writeSyntheticClassicOptions,
  type WriteSyntheticClassicOptions,
  classicFeatureFamilies,
  FEATURE_FAMILIES,
  type SyntheticClassicOptions,
  type SyntheticClassicConfig,
} from "./classic.js";
export {
  writeSyntheticFiles,
  writeSyntheticFilesOptions,
  type WriteSyntheticFilesOptions,
  type SyntheticFileManifest,
  type WrittenFile,
  type BybitPageEntry,
  type SyntheticProgress,
} from "./files.js";
export type { BybitEnvelope, InstrumentsPage, KlinePage, FundingPage } from "./bybit-pages.js";
