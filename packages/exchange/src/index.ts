export {
  BybitPrivateClient,
  bybitPrivateClientOptions,
  createOrderInput,
  orderRef,
  positionsOptions,
  walletBalanceOptions,
  BYBIT_MAINNET,
  BYBIT_TESTNET,
  type BybitPrivateClientOptions,
  type BybitRequestEvent,
  type BybitOrder,
  type BybitPosition,
  type WalletBalance,
  type CreateOrderInput,
  type OrderRef,
  type PositionsOptions,
  type WalletBalanceOptions,
} from "./bybit-private-client.js";
export { signBybitRequest, type SignatureInput } from "./sign.js";
export {
  contractSpecs,
  decimalsOf,
  type ContractSpec,
  type ContractSpecInput,
  type BybitInstrumentInput,
  type InstrumentInput,
} from "./contract-spec.js";
export { readHoldings, type Holdings, type HoldingRow } from "./holdings.js";
export {
  rebalancePlan,
  rebalancePlanOptions,
  derivePlanId,
  orderLinkId,
  type RebalancePlan,
  type RebalancePlanOptions,
  type PlannedOrder,
  type SkippedOrder,
  type SkipReason,
  type PositionChange,
  type Exposure,
  type PlanSummary,
  type Prices,
} from "./rebalance-plan.js";
export {
  executePlan,
  executePlanOptions,
  type ExecutePlanOptions,
  type ExecutionReport,
  type ExecutionProgress,
} from "./execute-plan.js";
export {
  journalPath,
  readJournal,
  type Journal,
  type JournalRun,
  type LegResult,
  type LegStatus,
  type Deviation,
} from "./journal.js";
export {
  MissingBybitCredentialsError,
  MissingInstrumentError,
  MissingPriceError,
  OrderUnconfirmedError,
  PositionModeError,
  JournalMismatchError,
  InvalidHoldingsError,
} from "./errors.js";
export { formatPlan } from "./format-plan.js";
