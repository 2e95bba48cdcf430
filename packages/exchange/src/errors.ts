/**
 * Error classes of @nmrblox/exchange. Every one extends the nmrblox root (`NumerFrameError`) with
 * a stable code and names the symbol, option or file at fault. None ever carries an API key or
 * secret: messages are built from symbols, codes and paths only.
 */
import { type ErrorCode, NumerFrameError } from "@nmrblox/numerframe";

/** The Bybit API key or secret is not set (`BYBIT_API_KEY` / `BYBIT_API_SECRET`, or the options). */
export class MissingBybitCredentialsError extends NumerFrameError {
  /** The operation that needed them ("positions", "createOrder"). */
  readonly operation: string;

  /** @param operation - the operation that needed the keys */
  constructor(operation: string) {
    super(
      "MISSING_CREDENTIALS",
      `${operation} needs Bybit API keys: set BYBIT_API_KEY and BYBIT_API_SECRET (or pass apiKey and apiSecret)`,
      { option: "apiKey" },
    );
    this.operation = operation;
  }
}

/** A symbol the plan must trade has no contract specification (qtyStep, minimums, tickSize). */
export class MissingInstrumentError extends NumerFrameError {
  /** @param symbol - the exchange symbol */
  constructor(symbol: string) {
    super(
      "MISSING_INSTRUMENT",
      `no instrument specification for ${symbol}: pass Bybit's instruments-info entry (lotSizeFilter, priceFilter) or a ContractSpec for it`,
      { symbol },
    );
  }
}

/** A symbol the plan must trade has no usable last price (missing, zero, negative or not finite). */
export class MissingPriceError extends NumerFrameError {
  /** The value found, when there was one. */
  readonly value: number | undefined;

  /**
   * @param symbol - the exchange symbol
   * @param value - the price found (undefined when none)
   */
  constructor(symbol: string, value: number | undefined) {
    super(
      "MISSING_PRICE",
      value === undefined
        ? `no last price for ${symbol} in options.prices`
        : `last price of ${symbol} must be a finite number > 0, got ${value}`,
      { symbol, option: "prices" },
    );
    this.value = value;
  }
}

/**
 * An order request got no clear answer (timeout, dropped connection, server error): Bybit may or
 * may not have accepted it. The order must be looked up by its `orderLinkId` before any retry.
 */
export class OrderUnconfirmedError extends NumerFrameError {
  readonly orderLinkId: string;
  /** Why the answer is unclear ("timeout", "HTTP 502", "Bybit retCode 10000"). */
  readonly reason: string;

  /**
   * @param symbol - the exchange symbol of the order
   * @param orderLinkId - the order's link id
   * @param reason - why its outcome is unknown
   * @param cause - the underlying error
   */
  constructor(symbol: string, orderLinkId: string, reason: string, cause?: unknown) {
    super(
      "ORDER_UNCONFIRMED",
      `order ${orderLinkId} on ${symbol} got no clear answer (${reason}); look it up by its orderLinkId before sending it again`,
      { symbol },
      cause === undefined ? undefined : { cause },
    );
    this.orderLinkId = orderLinkId;
    this.reason = reason;
  }
}

/** A position in hedge mode (positionIdx 1 or 2); plans and execution support one-way mode only. */
export class PositionModeError extends NumerFrameError {
  readonly positionIdx: number;

  /**
   * @param symbol - the exchange symbol
   * @param positionIdx - the position index Bybit reported
   */
  constructor(symbol: string, positionIdx: number) {
    super(
      "POSITION_MODE",
      `${symbol} holds a hedge-mode position (positionIdx ${positionIdx}); switch the account to one-way mode (positionIdx 0) to rebalance it`,
      { symbol },
    );
    this.positionIdx = positionIdx;
  }
}

/** A journal file that belongs to a different plan than the one being executed under its id. */
export class JournalMismatchError extends NumerFrameError {
  readonly planId: string;

  /**
   * @param path - the journal file
   * @param planId - the plan id both share
   * @param detail - what differs
   */
  constructor(path: string, planId: string, detail: string) {
    super(
      "JOURNAL_MISMATCH",
      `journal ${path} records a different plan under id ${planId} (${detail}); refusing to execute, since its orderLinkIds would collide`,
      { path },
    );
    this.planId = planId;
  }
}

/** A holdings entry that cannot be used: a non-finite quantity or a symbol listed twice. */
export class InvalidHoldingsError extends NumerFrameError {
  /**
   * @param code - NON_FINITE or DUPLICATE_ROW
   * @param input - which input ("current", "target")
   * @param symbol - the symbol at fault
   * @param detail - what is wrong
   */
  constructor(code: Extract<ErrorCode, "NON_FINITE" | "DUPLICATE_ROW">, input: string, symbol: string, detail: string) {
    super(code, `${input} holdings, ${symbol}: ${detail}`, { symbol, option: input });
  }
}
