import { NumerFrameError } from "@nmrblox/numerframe";

/** A cost term option is out of range (a negative fee or slippage, a bad window); `option` is its dotted path. */
export class InvalidCostOptionError extends NumerFrameError {
  readonly option: string;

  constructor(option: string, message: string) {
    super("INVALID_OPTION", `cost option "${option}": ${message}`);
    this.option = option;
  }
}
