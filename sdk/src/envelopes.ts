/**
 * Envelopes (docs/design.md §4): what a consumer, a data owner or an enclave hands over, bound to
 * what it is for and encrypted (ECIES) for one key. A data owner's hand-over names the chain, the
 * Orders contract, the suborder and its parent, the solution hash they approved and the enclave it
 * is for; the consumer's arguments name the consumer instead of a suborder; a result pointer names
 * the order and the result's hash. Opening one checks every name against the context it was read
 * in, so a copied ciphertext is useless anywhere else: the binding lives in the plaintext, because
 * the same plaintext can be encrypted again into other bytes.
 */
import { type Address, type Hex, bytesToString } from "viem";

import { decryptWithTeeKey, encryptForTee } from "./ecies.js";
import { EnvelopeMismatchError, InputError } from "./errors.js";
import { describe, isObject } from "./internal/fields.js";
import { canonicalJson } from "./json.js";
import { toAddress, toBytes32, toUint } from "./validate.js";

/** Version of the envelope format this SDK writes and reads. */
export const ENVELOPE_VERSION = 1;

/** What an envelope is. */
export type EnvelopeType = "tee-marketplace/hand-over" | "tee-marketplace/args" | "tee-marketplace/result";

/** Where an envelope is valid: the chain and the Orders contract. */
export interface EnvelopeDeployment {
  /** The chain id. */
  chainId: number;
  /** The Orders contract. */
  orders: Address;
}

/** What a data owner's hand-over is for. */
export interface HandOverContext extends EnvelopeDeployment {
  /** The suborder it completes. */
  suborderId: bigint;
  /** Its parent order. */
  parentId: bigint;
  /** The solution hash the data owner approved (the order's committed one). */
  solutionHash: Hex;
  /** The enclave's TEE key it is encrypted for (the order's). */
  teeKey: Address;
}

/** What the consumer's arguments are for. */
export interface ArgsContext extends EnvelopeDeployment {
  /** The consumer who placed the workflow. */
  consumer: Address;
  /** The committed solution hash. */
  solutionHash: Hex;
  /** The enclave's TEE key it is encrypted for. */
  teeKey: Address;
}

/** What a result pointer is for. */
export interface ResultPointerContext extends EnvelopeDeployment {
  /** The order. */
  orderId: bigint;
  /** sha256 of the result (the receipt's). */
  resultHash: Hex;
}

/** A data owner's hand-over: the context and the resource (a `*.resource.json` object). */
export interface HandOver extends HandOverContext {
  /** The resource file of the data, with its decryption key. */
  resource: unknown;
}

/** The consumer's arguments: the context, the solution's resource file and any arguments. */
export interface WorkflowArgs extends ArgsContext {
  /** The solution's resource file (absent when a Solution offer of the workflow supplies it). */
  solution?: unknown;
  /** Anything the solution takes. */
  args?: unknown;
}

/** A result pointer: the context and the result's resource file, with its decryption key. */
export interface ResultPointer extends ResultPointerContext {
  /** The encrypted result's resource file. */
  resource: unknown;
}

/**
 * Seals a data owner's hand-over for the enclave's ECIES public key.
 *
 * @param publicKey The ECIES public key of the order's enclave (its newest TCB's).
 * @param handOver The context and the resource.
 * @returns The ciphertext to pass as `completeSuborder`'s `encryptedResult`.
 * @example
 * const encryptedResult = sealHandOver(tcbPublicKey, { chainId, orders, suborderId, parentId, solutionHash, teeKey, resource });
 * @throws {InputError} naming the field that is malformed, or `publicKey`.
 */
export function sealHandOver(publicKey: Hex | Uint8Array, handOver: HandOver): Hex {
  return seal(publicKey, "tee-marketplace/hand-over", {
    ...handOverFields(handOver),
    resource: handOver.resource,
  });
}

/**
 * Opens a data owner's hand-over inside the enclave, for the suborder it was read from: every name
 * must be the expected one.
 *
 * @param privateKey The enclave's ECIES private key.
 * @param ciphertext The suborder's `encryptedResult`.
 * @param expected The context the enclave read the ciphertext in: this chain and contract, the
 * suborder, its parent, the order's committed solution hash, the enclave's own key.
 * @returns The resource the data owner handed over.
 * @example
 * const { resource } = openHandOver(eciesKey, encryptedResult, { chainId, orders, suborderId, parentId, solutionHash, teeKey });
 * @throws {DecryptionError} when it was not encrypted for this key or was altered.
 * @throws {EnvelopeMismatchError} naming the field when the envelope is for anything else.
 */
export function openHandOver(
  privateKey: Hex | Uint8Array,
  ciphertext: Hex | Uint8Array,
  expected: HandOverContext,
): { resource: unknown } {
  const envelope = open(privateKey, ciphertext, "tee-marketplace/hand-over");
  match(envelope, handOverFields(expected));
  return { resource: envelope["resource"] };
}

/**
 * Seals the consumer's arguments (the solution's resource file and any arguments) for the enclave.
 *
 * @param publicKey The ECIES public key of the TEE offer's active enclave.
 * @param args The context, the solution and the arguments.
 * @returns The ciphertext to pass as `createWorkflow`'s `encryptedArgs`.
 * @example
 * const encryptedArgs = sealArgs(tcbPublicKey, { chainId, orders, consumer, solutionHash, teeKey, solution: resourceFile });
 * @throws {InputError} naming the field that is malformed, or `publicKey`.
 */
export function sealArgs(publicKey: Hex | Uint8Array, args: WorkflowArgs): Hex {
  return seal(publicKey, "tee-marketplace/args", {
    ...argsFields(args),
    ...(args.solution === undefined ? {} : { solution: args.solution }),
    ...(args.args === undefined ? {} : { args: args.args }),
  });
}

/**
 * Opens the consumer's arguments inside the enclave, for the order they were read from.
 *
 * @param privateKey The enclave's ECIES private key.
 * @param ciphertext The workflow's `encryptedArgs`.
 * @param expected This chain and contract, the order's consumer and committed solution hash, the
 * enclave's own key.
 * @returns The solution's resource file (when the consumer sent one) and the arguments.
 * @example
 * const { solution, args } = openArgs(eciesKey, encryptedArgs, { chainId, orders, consumer, solutionHash, teeKey });
 * @throws {DecryptionError} when it was not encrypted for this key or was altered.
 * @throws {EnvelopeMismatchError} naming the field when the envelope is for anything else.
 */
export function openArgs(
  privateKey: Hex | Uint8Array,
  ciphertext: Hex | Uint8Array,
  expected: ArgsContext,
): { solution?: unknown; args?: unknown } {
  const envelope = open(privateKey, ciphertext, "tee-marketplace/args");
  match(envelope, argsFields(expected));
  return {
    ...(envelope["solution"] === undefined ? {} : { solution: envelope["solution"] }),
    ...(envelope["args"] === undefined ? {} : { args: envelope["args"] }),
  };
}

/**
 * Seals a result pointer for one result recipient (enclave side).
 *
 * @param publicKey The recipient's secp256k1 public key (as the workflow named it).
 * @param pointer The order, the result's hash and its resource file with the decryption key.
 * @returns The pointer for the result receipt.
 * @example
 * const pointers = recipients.map((key) => sealResultPointer(key, { chainId, orders, orderId, resultHash, resource }));
 * @throws {InputError} naming the field that is malformed, or `publicKey`.
 */
export function sealResultPointer(publicKey: Hex | Uint8Array, pointer: ResultPointer): Hex {
  return seal(publicKey, "tee-marketplace/result", { ...pointerFields(pointer), resource: pointer.resource });
}

/**
 * Opens a result pointer with a recipient's private key, for the order and result hash of the
 * receipt it came in.
 *
 * @param privateKey The recipient's private key.
 * @param ciphertext The pointer.
 * @param expected This chain and contract, the order, the receipt's result hash.
 * @returns The result's resource file.
 * @example
 * const { resource } = openResultPointer(resultKey, pointer, { chainId, orders, orderId, resultHash });
 * @throws {DecryptionError} when it was not encrypted for this key or was altered.
 * @throws {EnvelopeMismatchError} naming the field when the pointer is for anything else.
 */
export function openResultPointer(
  privateKey: Hex | Uint8Array,
  ciphertext: Hex | Uint8Array,
  expected: ResultPointerContext,
): { resource: unknown } {
  const envelope = open(privateKey, ciphertext, "tee-marketplace/result");
  match(envelope, pointerFields(expected));
  return { resource: envelope["resource"] };
}

/** The envelope's own fields, in JSON form (integers as decimal strings), checked. */
type Fields = Record<string, string | number>;

function deploymentFields(context: EnvelopeDeployment): Fields {
  return {
    chainId: Number(toUint(context.chainId, "chainId", { bits: 53 })),
    orders: toAddress(context.orders, "orders"),
  };
}

function handOverFields(context: HandOverContext): Fields {
  return {
    ...deploymentFields(context),
    suborderId: toUint(context.suborderId, "suborderId").toString(),
    parentId: toUint(context.parentId, "parentId").toString(),
    solutionHash: toBytes32(context.solutionHash, "solutionHash"),
    teeKey: toAddress(context.teeKey, "teeKey"),
  };
}

function argsFields(context: ArgsContext): Fields {
  return {
    ...deploymentFields(context),
    consumer: toAddress(context.consumer, "consumer"),
    solutionHash: toBytes32(context.solutionHash, "solutionHash"),
    teeKey: toAddress(context.teeKey, "teeKey"),
  };
}

function pointerFields(context: ResultPointerContext): Fields {
  return {
    ...deploymentFields(context),
    orderId: toUint(context.orderId, "orderId").toString(),
    resultHash: toBytes32(context.resultHash, "resultHash"),
  };
}

function seal(publicKey: Hex | Uint8Array, type: EnvelopeType, body: Record<string, unknown>): Hex {
  return encryptForTee(publicKey, canonicalJson({ type, version: ENVELOPE_VERSION, ...body }));
}

function open(
  privateKey: Hex | Uint8Array,
  ciphertext: Hex | Uint8Array,
  type: EnvelopeType,
): Record<string, unknown> {
  const plaintext = bytesToString(decryptWithTeeKey(privateKey, ciphertext));
  let envelope: unknown;
  try {
    envelope = JSON.parse(plaintext) as unknown;
  } catch (error) {
    throw new InputError("ciphertext", "decrypts to something that is not a JSON envelope", { cause: error });
  }
  if (!isObject(envelope))
    throw new InputError("ciphertext", `decrypts to ${describe(envelope)}, not an envelope`);
  if (envelope["type"] !== type) throw new EnvelopeMismatchError("type", type, envelope["type"]);
  if (envelope["version"] !== ENVELOPE_VERSION) {
    throw new EnvelopeMismatchError("version", ENVELOPE_VERSION, envelope["version"]);
  }
  return envelope;
}

/** Compares every expected field with the envelope's; hex values (addresses, hashes) regardless of case. */
function match(envelope: Record<string, unknown>, expected: Fields): void {
  for (const [field, value] of Object.entries(expected)) {
    const actual = envelope[field];
    if (normalize(actual) !== normalize(value)) throw new EnvelopeMismatchError(field, value, actual);
  }
}

function normalize(value: unknown): unknown {
  return typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
}
