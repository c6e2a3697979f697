/**
 * What the CLI says when something fails: one line that says what to fix (naming CLI commands, not
 * the SDK's calls), the JSON document of `--json`, and the exit code's class. Loaded only on the
 * error path (it needs viem and the SDK).
 */
import { BaseError, HttpRequestError } from "viem";

import {
  ContractError,
  InputError,
  MarketplaceError,
  type Remedies,
  contractErrorText,
} from "@tee-marketplace/sdk";

import { UsageError } from "./output.js";

/** The commands an error's advice names, instead of the SDK's calls. */
export const cliRemedies: Remedies = {
  approve: "tee-market tokens approve <amount>",
  registerProvider: "tee-market providers register",
  updateProvider: "tee-market providers update",
  enableOffer: "tee-market offers enable <offerId>",
  setMeasurement: "tee-market tcb set-measurement",
  uploadTcb: "tee-market tcb upload",
  publishReport: "tee-market tee report",
  authorizeTeeKey: "tee-market tcb authorize <teeOfferId> <teeKey>",
};

/** Whether an error is the user's input or configuration (exit code 2) rather than a failed operation. */
export function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof InputError;
}

/** One line saying what went wrong and what to do, from any error the CLI can meet. */
export function errorLine(error: unknown): string {
  let text: string;
  if (error instanceof ContractError) text = contractErrorText(error, cliRemedies);
  else if (error instanceof UsageError || error instanceof MarketplaceError) text = error.message;
  else if (
    error instanceof BaseError &&
    error.walk((e) => e instanceof HttpRequestError) instanceof HttpRequestError
  ) {
    const http = error.walk((e) => e instanceof HttpRequestError) as HttpRequestError;
    const url = http.url.replace(/#.*$/, "");
    text = `cannot reach the RPC at ${url} (${http.details || http.shortMessage}); check --rpc-url and the network`;
  } else if (error instanceof BaseError) {
    const details = error.details && !error.shortMessage.includes(error.details) ? ` (${error.details})` : "";
    text = `${error.shortMessage}${details}`;
  } else if (error instanceof Error) text = error.message;
  else text = String(error);
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** The JSON document printed on stdout for an error with `--json`. */
export function errorJson(error: unknown): unknown {
  const base = {
    name: error instanceof Error ? error.name : "Error",
    message: errorLine(error),
  };
  if (error instanceof ContractError)
    return { error: { ...base, errorName: error.errorName, args: error.args } };
  if (error instanceof InputError) return { error: { ...base, field: error.field } };
  return { error: base };
}
