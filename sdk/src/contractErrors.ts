/**
 * Turning viem's revert errors into the SDK's {@link ContractError}: the Solidity error's name and
 * decoded arguments, what was being done, and what to do about it. The advice names the SDK's calls
 * by default; a front end (the `tee-market` CLI) names its own commands instead ({@link Remedies}).
 */
import { BaseError, ContractFunctionRevertedError, type Hex, decodeErrorResult, zeroAddress } from "viem";

import { marketplaceErrorsAbi } from "./abi/errors.js";
import { OrderStatus, enumName } from "./enums.js";
import {
  type AnyContractError,
  ContractError,
  type ContractErrorArguments,
  type ContractErrorName,
  contractErrorMessage,
} from "./errors.js";

/** The calls an error's advice may send the reader to, by what they do. */
export interface Remedies {
  /** Approve the Orders contract to pull the payment token. */
  approve: string;
  /** Register as a provider. */
  registerProvider: string;
  /** Change a registered provider. */
  updateProvider: string;
  /** Enable an offer again. */
  enableOffer: string;
  /** Allow a measurement (the TCB admin). */
  setMeasurement: string;
  /** Publish a TCB. */
  uploadTcb: string;
  /** Publish an order report. */
  publishReport: string;
  /** Let a new enclave publish its first TCB itself. */
  authorizeTeeKey: string;
}

/**
 * The SDK's own names for the {@link Remedies}: what a {@link ContractError}'s message names.
 *
 * @example
 * contractErrorHint({ errorName: "OfferDisabled", args: [3n] }, sdkRemedies);
 * // "Offer 3 is disabled; its provider can enable it again (offers.setEnabled)"
 * @throws nothing: it is a constant.
 */
export const sdkRemedies: Remedies = {
  approve: "payments.approve({ amount })",
  registerProvider: "providers.register",
  updateProvider: "providers.update",
  enableOffer: "offers.setEnabled",
  setMeasurement: "tcb.setMeasurement",
  uploadTcb: "tcb.upload",
  publishReport: "reports.publish",
  authorizeTeeKey: "tcb.authorizeTeeKey",
};

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
): AnyContractError | undefined {
  if (error instanceof ContractError) return error;
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const decoded = decodeRevert(reverted);
  const hint = contractErrorHint(decoded);
  return new ContractError({
    ...decoded,
    cause: error,
    ...(context.action === undefined ? {} : { action: context.action }),
    ...(hint === undefined ? {} : { hint }),
  } as never) as AnyContractError;
}

/** A decoded revert: an error name and its arguments, typed together. */
type Decoded = {
  [name in ContractErrorName]: { errorName: name; args: ContractErrorArguments<name> };
}[ContractErrorName];

function decodeRevert(error: ContractFunctionRevertedError): Decoded {
  // viem decoded it with the ABI it had (ours), or with its built-in Error(string) and Panic(uint256).
  if (error.data !== undefined) {
    return { errorName: error.data.errorName, args: error.data.args ?? [] } as Decoded;
  }
  const raw: Hex | undefined = error.raw;
  if (raw !== undefined && raw !== "0x") {
    try {
      const result = decodeErrorResult({ abi: marketplaceErrorsAbi, data: raw });
      return { errorName: result.errorName, args: result.args ?? [] } as Decoded;
    } catch {
      return { errorName: "UnknownError", args: [raw] };
    }
  }
  if (error.reason !== undefined && error.reason !== "execution reverted") {
    return { errorName: "Error", args: [error.reason] };
  }
  return { errorName: "Reverted", args: [] };
}

function status(value: number): string {
  try {
    return enumName(OrderStatus, value);
  } catch {
    return String(value);
  }
}

/**
 * What to do about a contract error, naming the calls to make with `remedies` (default: the SDK's
 * own); `undefined` when the error's name says it all.
 *
 * @param error The error's name and arguments (a {@link ContractError} will do).
 * @param remedies How to name the calls the advice sends the reader to.
 * @example
 * const hint = contractErrorHint(error, { ...sdkRemedies, approve: "tee-market tokens approve" });
 * @throws nothing.
 */
export function contractErrorHint(error: Decoded, remedies: Remedies = sdkRemedies): string | undefined {
  switch (error.errorName) {
    case "ERC20InsufficientAllowance": {
      const [spender, allowance, needed] = error.args;
      return (
        `The payment-token allowance of ${spender} is ${allowance}, ${needed} is needed. ` +
        `Approve it first with ${remedies.approve}; nothing is approved implicitly`
      );
    }
    case "ERC20InsufficientBalance": {
      const [account, balance, needed] = error.args;
      return `The account ${account} holds ${balance} of the payment token, ${needed} is needed`;
    }
    case "SolutionHashMismatch":
      return `The order committed to solution ${error.args[1]}; complete the suborder with that hash, or decline it with status Error`;
    case "SuborderCallerNotOperator":
      return `Only the offer's provider authority or its action account may complete suborder ${error.args[0]}; send from one of them`;
    case "OrderCallerNotConsumer":
      return `Only the consumer who created order ${error.args[0]} may do this`;
    case "OrderCallerNotTeeOperator":
      return `Only the order's enclave key, or the TEE offer's provider authority or action account, may do this for order ${error.args[0]}`;
    case "OrderTeeKeyNotActive":
      return error.args[2] === zeroAddress
        ? `TEE offer ${error.args[0]} has no valid enclave now; wait for its TEE to publish a TCB`
        : `The enclave of TEE offer ${error.args[0]} is now ${error.args[2]}; seal the arguments for it and name it`;
    case "SlotTermsChanged":
      return `The terms of slot ${error.args[0]} changed since you read them; read the slot again and accept its new terms`;
    case "OrderResultRecipientCount":
      return `Name 1 to ${error.args[1]} result recipients, your own key first`;
    case "OrderResultKeyInvalid":
      return `Result recipient ${error.args[0]} is ${error.args[1]} bytes; a recipient is a 33- or 65-byte secp256k1 public key`;
    case "SuborderTeeKeyMismatch":
      return `The order's enclave is ${error.args[1]}; seal the hand-over for it and name it`;
    case "OrderNotBlocked":
      return `Order ${error.args[0]} is ${status(error.args[1])}; only a Blocked order can be expired`;
    case "OrderInvalidTransition": {
      const [orderId, from, to] = error.args;
      return `Order ${orderId} is ${status(from)}; it cannot become ${status(to)} from there`;
    }
    case "OrderInvalidCompletionStatus":
      return `Complete with status Done, Error or Canceled, not ${status(error.args[1])}`;
    case "OrderDepositTooLow":
      return `Deposit at least ${error.args[1]} (the sum of the slots' min costs)`;
    case "OrderDeadlineNotReached":
      return `The provider may still complete order ${error.args[0]} until ${new Date(Number(error.args[1]) * 1000).toISOString()}; force the refund after that`;
    case "OrderNotCancelable":
      return `The TEE offer does not let consumers cancel Processing orders`;
    case "OrderReportMissing":
      return `Publish the order report (${remedies.publishReport}) before completing with Done`;
    case "OrderReportNotProcessing":
      return `Reports are published while the order is Processing; it is ${status(error.args[1])}`;
    case "OrderReportSignerMismatch":
      return `The report was signed by ${error.args[1]}, not by the order's enclave ${error.args[2]}: only that key reports on the order`;
    case "OrderReportTeeNotApproved":
      return `TCB ${error.args[1]} is of key ${error.args[2]}; name a TCB of the order's enclave ${error.args[3]}`;
    case "OrderReportTcbNotValid":
      return `The order's enclave is revoked or its TCB expired: refresh the TCB with the same key (${remedies.uploadTcb}); a revoked enclave's orders can only end in Error`;
    case "OrderReceiptSignerMismatch":
      return `The receipt was signed by ${error.args[1]}, not by the order's enclave ${error.args[2]}`;
    case "OrderReceiptPointerCount":
      return `Done needs one result pointer per recipient (${error.args[2]}), Error at most that many; got ${error.args[1]}`;
    case "OrderReceiptTeeNotValid":
      return `The order's enclave ${error.args[1]} is revoked or expired: refresh its TCB (${remedies.uploadTcb}) before completing with Done`;
    case "OrderReportImageMismatch":
      return `The report's Image entry must be the committed solution hash ${error.args[1]}`;
    case "OrderReportDataMissing":
      return `The data owner of suborder ${error.args[1]} pinned data hash ${error.args[2]}; the report needs a Data entry with it`;
    case "EscrowNothingToWithdraw":
      return `${error.args[0]} has no withdrawable balance`;
    case "ProviderNotRegistered":
      return `Register ${error.args[0]} as a provider first (${remedies.registerProvider})`;
    case "ProviderAlreadyRegistered":
      return `Use ${remedies.updateProvider} to change a registered provider`;
    case "OfferCallerNotProvider":
      return `Only the provider authority of offer ${error.args[0]} may do this`;
    case "OfferDisabled":
      return `Offer ${error.args[0]} is disabled; its provider can enable it again (${remedies.enableOffer})`;
    case "SlotInUse":
      return `Slot ${error.args[0]} is used by ${error.args[1]} open orders; wait until they end`;
    case "TcbMeasurementNotAllowed":
      return `Measurement ${error.args[0]} is not on the allow-list; the TCB admin allows measurements (${remedies.setMeasurement})`;
    case "TcbCallerNotAuthorized":
      return `Publish from the TEE offer's provider authority or action account, or let the TEE key publish once (${remedies.authorizeTeeKey})`;
    case "TcbTeeKeyRevoked":
      return `TEE key ${error.args[0]} was revoked at block ${error.args[1]}, for good; start the enclave with a new key`;
    case "TcbTeeKeyOfOtherOffer":
      return `TEE key ${error.args[0]} serves TEE offer ${error.args[1]}; a key serves one offer, use a new key for this one`;
    case "TcbAttestationReused":
      return `The attestation expires at ${error.args[1]}, not after the key's last one (${error.args[2]}); get a fresh attestation`;
    case "AttestationExpired":
      return `The attestation expired at ${error.args[0]}; get a fresh one from the attestation service`;
    case "AttestationSignerNotAllowed":
      return `${error.args[0]} is not an allowed attestation-service signer on the verifier`;
    case "AccessControlUnauthorizedAccount":
      return `${error.args[0]} lacks the role ${error.args[1]}`;
    case "InputTooLarge": {
      const [input, size, maxSize] = error.args;
      return `${input} is ${size} bytes; the cap is ${maxSize}`;
    }
    default:
      return undefined;
  }
}

/**
 * A contract error's message with its advice naming the calls of `remedies`: what a front end shows
 * instead of `error.message` (which names the SDK's calls). Advice the SDK wrote without naming a
 * call (a locally found {@link SolutionHashMismatchError}, for example) is kept.
 *
 * @param error The contract error.
 * @param remedies How to name the calls.
 * @example
 * contractErrorText(error, cliRemedies); // "...Approve it first with tee-market tokens approve <amount>; ..."
 * @throws nothing.
 */
export function contractErrorText(error: ContractError, remedies: Remedies): string {
  const decoded = { errorName: error.errorName, args: error.args } as Decoded;
  const hint = contractErrorHint(decoded) === error.hint ? contractErrorHint(decoded, remedies) : error.hint;
  return contractErrorMessage({ errorName: error.errorName, args: error.args, action: error.action, hint });
}
