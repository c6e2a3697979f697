/**
 * Turning viem's revert errors into the SDK's {@link ContractError}: the Solidity error's name and
 * decoded arguments, what was being done, and what to do about it.
 */
import { BaseError, ContractFunctionRevertedError, type Hex, decodeErrorResult } from "viem";

import { marketplaceErrorsAbi } from "./abi/errors.js";
import { OrderStatus, enumName } from "./enums.js";
import { ContractError } from "./errors.js";

/**
 * The {@link ContractError} inside an error thrown by viem, when it is a revert; `undefined`
 * otherwise (a network error, a rejected signature, ...).
 *
 * The revert data is decoded with the ABI viem had, and when that does not know the error (a revert
 * bubbled up from another contract), with {@link marketplaceErrorsAbi}, which holds every custom
 * error of every marketplace contract, OpenZeppelin's included (`ERC20InsufficientAllowance`,
 * `AccessControlUnauthorizedAccount`, ...). `Error(string)` becomes `errorName: "Error"` and
 * `Panic(uint256)` `errorName: "Panic"`; revert data nothing decodes becomes `errorName:
 * "UnknownError"` with the raw data as its one argument, and a revert without data `errorName:
 * "Reverted"` with no arguments. The viem error is kept as `cause`.
 *
 * @param error What viem threw.
 * @param context `action`: what was being done, for the message ("Cannot create the workflow").
 * @example
 * try {
 *   await simulateContract(publicClient, { address, abi: ordersAbi, functionName: "cancelOrder", args: [7n] });
 * } catch (error) {
 *   throw contractErrorFrom(error, { action: "Cannot cancel order 7" }) ?? error;
 * }
 * @throws nothing.
 */
export function contractErrorFrom(
  error: unknown,
  context: { action?: string } = {},
): ContractError | undefined {
  if (error instanceof ContractError) return error;
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const decoded = decodeRevert(reverted);
  const params: ConstructorParameters<typeof ContractError>[0] = {
    errorName: decoded.errorName,
    args: decoded.args,
    cause: error,
  };
  if (context.action !== undefined) params.action = context.action;
  const hint = hintFor(decoded.errorName, decoded.args);
  if (hint !== undefined) params.hint = hint;
  return new ContractError(params);
}

function decodeRevert(error: ContractFunctionRevertedError): { errorName: string; args: readonly unknown[] } {
  if (error.data !== undefined) return { errorName: error.data.errorName, args: error.data.args ?? [] };
  const raw: Hex | undefined = error.raw;
  if (raw !== undefined && raw !== "0x") {
    try {
      const result = decodeErrorResult({ abi: marketplaceErrorsAbi, data: raw });
      return { errorName: result.errorName, args: result.args ?? [] };
    } catch {
      return { errorName: "UnknownError", args: [raw] };
    }
  }
  if (error.reason !== undefined && error.reason !== "execution reverted") {
    return { errorName: "Error", args: [error.reason] };
  }
  return { errorName: "Reverted", args: [] };
}

function status(value: unknown): string {
  try {
    return enumName(OrderStatus, Number(value));
  } catch {
    return String(value);
  }
}

/** What to do about an error, by name; `undefined` when the name says it all. */
function hintFor(errorName: string, args: readonly unknown[]): string | undefined {
  const [a, b, c] = args;
  switch (errorName) {
    case "ERC20InsufficientAllowance":
      return (
        `The payment-token allowance of ${String(a)} is ${String(b)}, ${String(c)} is needed. ` +
        `Approve it first with payments.approve({ amount }); the SDK never approves implicitly`
      );
    case "ERC20InsufficientBalance":
      return `The account ${String(a)} holds ${String(b)} of the payment token, ${String(c)} is needed`;
    case "SolutionHashMismatch":
      return `The order committed to solution ${String(b)}; complete the suborder with that hash, or decline it with status Error`;
    case "SuborderCallerNotOperator":
      return `Only the offer's provider authority or its action account may complete suborder ${String(a)}; send from one of them`;
    case "OrderCallerNotConsumer":
      return `Only the consumer who created order ${String(a)} may do this`;
    case "OrderCallerNotTeeOperator":
      return `Only the TEE offer's provider authority, its action account or the active TCB's key may do this for order ${String(a)}`;
    case "OrderInvalidTransition":
      return `Order ${String(a)} is ${status(b)}; it cannot become ${status(c)} from there`;
    case "OrderInvalidCompletionStatus":
      return `Complete with status Done, Error or Canceled, not ${status(b)}`;
    case "OrderDepositTooLow":
      return `Deposit at least ${String(b)} (the sum of the slots' min costs)`;
    case "OrderDeadlineNotReached":
      return `The provider may still complete order ${String(a)} until ${new Date(Number(b) * 1000).toISOString()}; force the refund after that`;
    case "OrderNotCancelable":
      return `The TEE offer does not let consumers cancel Processing orders`;
    case "OrderReportMissing":
      return `Publish the order report (reports.publish) before completing with Done`;
    case "OrderReportNotProcessing":
      return `Reports are published while the order is Processing; it is ${status(b)}`;
    case "OrderReportSignerMismatch":
      return `The report was signed by ${String(b)}, not by the TCB's TEE key ${String(c)}: sign it with the key of the active TCB`;
    case "OrderReportTcbNotActive":
      return `Sign the report with the active TCB of the order's TEE offer (${String(c)})`;
    case "OrderReportTcbNotValid":
      return `The TCB ${String(b)} is revoked or expired: publish a new TCB (tcb.upload) and sign with it`;
    case "OrderReportImageMismatch":
      return `The report's Image entry must be the committed solution hash ${String(b)}`;
    case "OrderReportDataMissing":
      return `The data owner of suborder ${String(b)} pinned data hash ${String(c)}; the report needs a Data entry with it`;
    case "EscrowNothingToWithdraw":
      return `${String(a)} has no withdrawable balance`;
    case "ProviderNotRegistered":
      return `Register ${String(a)} as a provider first (providers.register)`;
    case "ProviderAlreadyRegistered":
      return `Use providers.update to change a registered provider`;
    case "OfferCallerNotProvider":
      return `Only the provider authority of offer ${String(a)} may do this`;
    case "OfferDisabled":
      return `Offer ${String(a)} is disabled; its provider can enable it again (offers.setEnabled)`;
    case "SlotInUse":
      return `Slot ${String(a)} is used by ${String(b)} open orders; wait until they end`;
    case "TcbMeasurementNotAllowed":
      return `Measurement ${String(a)} is not on the allow-list; the TCB admin allows measurements (tcb.setMeasurement)`;
    case "TcbCallerNotAuthorized":
      return `Publish from the TEE offer's provider authority, its action account, or the TEE key itself`;
    case "AttestationExpired":
      return `The attestation expired at ${String(a)}; get a fresh one from the attestation service`;
    case "AttestationSignerNotAllowed":
      return `${String(a)} is not an allowed attestation-service signer on the verifier`;
    case "AccessControlUnauthorizedAccount":
      return `${String(a)} lacks the role ${String(b)}`;
    case "InputTooLarge":
      return `${String(a)} is ${String(b)} bytes; the cap is ${String(c)}`;
    default:
      return undefined;
  }
}
