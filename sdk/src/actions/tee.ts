/**
 * Helpers for the TEE side, bound to a deployment: open the envelopes handed to the enclave (a
 * data owner's hand-over, the consumer's arguments) with this chain and Orders contract filled in,
 * seal result pointers for the order's recipients, sign reports and result receipts over this
 * deployment's Orders domain, compute the report data a quote must carry for this deployment's TCB
 * registry. No RPC.
 */
import type { Address, Hex } from "viem";

import { type AttestationDomain, attestationDomain, tcbReportData } from "../attestation.js";
import type { MarketplaceContext } from "../context.js";
import {
  type ArgsContext,
  type EnvelopeDeployment,
  type HandOverContext,
  type ResultPointerContext,
  openArgs,
  openHandOver,
  sealResultPointer,
} from "../envelopes.js";
import { type ResultReceipt, signResultReceipt } from "../receipts.js";
import { type OrderReport, type OrderReportDomain, orderReportDomain, signOrderReport } from "../reports.js";

function envelopeDeployment(ctx: MarketplaceContext): EnvelopeDeployment {
  return { chainId: ctx.deployment.chainId, orders: ctx.deployment.contracts.orders };
}

/**
 * Opens a data owner's hand-over (a suborder's `encryptedResult`) inside the enclave, checking that
 * it names this chain and Orders contract, the suborder it was read from, its parent, the order's
 * committed solution hash and this enclave's key.
 *
 * @param ctx The marketplace context.
 * @param params `privateKey`: the enclave's ECIES key; `ciphertext`; and what the enclave read on
 * chain: `suborderId`, `parentId`, `solutionHash` (the order's), `teeKey` (the order's, its own).
 * @returns The resource the data owner handed over.
 * @example
 * const { encryptedResult } = await client.suborders.getResult({ suborderId });
 * const { resource } = client.tee.openHandOver({ privateKey: eciesKey, ciphertext: encryptedResult, suborderId, parentId: order.id, solutionHash: order.solutionHash, teeKey: order.teeKey });
 * @throws {DecryptionError} when it was encrypted for another key or altered.
 * @throws {EnvelopeMismatchError} naming the field when it was sealed for anything else (another
 * suborder, order, solution, enclave, contract or chain).
 */
export function teeOpenHandOver(
  ctx: MarketplaceContext,
  params: { privateKey: Hex | Uint8Array; ciphertext: Hex | Uint8Array } & Omit<
    HandOverContext,
    keyof EnvelopeDeployment
  >,
): { resource: unknown } {
  const { privateKey, ciphertext, ...expected } = params;
  return openHandOver(privateKey, ciphertext, { ...envelopeDeployment(ctx), ...expected });
}

/**
 * Opens the consumer's arguments (the workflow's `encryptedArgs`) inside the enclave, checking that
 * they name this chain and Orders contract, the order's consumer, its committed solution hash and
 * this enclave's key.
 *
 * @param ctx The marketplace context.
 * @param params `privateKey`: the enclave's ECIES key; `ciphertext`; `consumer`, `solutionHash`,
 * `teeKey`: the order's.
 * @returns The solution's resource file (when the consumer sent one) and the arguments.
 * @example
 * const { encryptedArgs } = await client.orders.getParams({ orderId });
 * const { solution, args } = client.tee.openArgs({ privateKey: eciesKey, ciphertext: encryptedArgs, consumer, solutionHash, teeKey });
 * @throws {DecryptionError} when it was encrypted for another key or altered.
 * @throws {EnvelopeMismatchError} naming the field when it was sealed for anything else.
 */
export function teeOpenArgs(
  ctx: MarketplaceContext,
  params: { privateKey: Hex | Uint8Array; ciphertext: Hex | Uint8Array } & Omit<
    ArgsContext,
    keyof EnvelopeDeployment
  >,
): { solution?: unknown; args?: unknown } {
  const { privateKey, ciphertext, ...expected } = params;
  return openArgs(privateKey, ciphertext, { ...envelopeDeployment(ctx), ...expected });
}

/**
 * Seals a result pointer for one of the order's result recipients: the result's resource file (with
 * its decryption key), bound to this chain and contract, the order and the result's hash.
 *
 * @param ctx The marketplace context.
 * @param params `publicKey`: the recipient's key, as the workflow named it; `orderId`; `resultHash`;
 * `resource`: the uploaded result's resource file.
 * @returns The pointer, for the receipt's `pointers`.
 * @example
 * const pointers = resultRecipients.map((publicKey) => client.tee.sealResultPointer({ publicKey, orderId, resultHash, resource }));
 * @throws {InputError} naming the field that is malformed, or `publicKey`.
 */
export function teeSealResultPointer(
  ctx: MarketplaceContext,
  params: { publicKey: Hex | Uint8Array; resource: unknown } & Omit<
    ResultPointerContext,
    keyof EnvelopeDeployment
  >,
): Hex {
  const { publicKey, ...pointer } = params;
  return sealResultPointer(publicKey, { ...envelopeDeployment(ctx), ...pointer });
}

/**
 * Signs a result receipt with the order's enclave key over this deployment's Orders domain
 * (`orders.complete` does this when given the key; use it when another process sends the transaction).
 *
 * @param ctx The marketplace context.
 * @param params `privateKey`: the order's TEE key; `receipt`.
 * @example
 * const signature = await client.tee.signReceipt({ privateKey: teeKey, receipt: { orderId, resultHash, pointers } });
 * @throws {InputError} naming `privateKey` or the field of the receipt that is malformed.
 */
export async function teeSignReceipt(
  ctx: MarketplaceContext,
  params: { privateKey: Hex; receipt: ResultReceipt },
): Promise<Hex> {
  return signResultReceipt(params.privateKey, teeReportDomain(ctx), params.receipt);
}

/**
 * Signs a report with the TEE key over this deployment's Orders domain (`reports.publish` does
 * this for you; use it when another process sends the transaction).
 *
 * @param ctx The marketplace context.
 * @param params `privateKey`: the order's TEE key; `report`.
 * @example
 * const signature = await client.tee.signReport({ privateKey: teeKey, report });
 * @throws {InputError} naming `privateKey` or the field of the report that is malformed.
 */
export async function teeSignReport(
  ctx: MarketplaceContext,
  params: { privateKey: Hex; report: OrderReport },
): Promise<Hex> {
  return signOrderReport(params.privateKey, teeReportDomain(ctx), params.report);
}

/**
 * The EIP-712 domain of this deployment's order reports and result receipts.
 *
 * @param ctx The marketplace context.
 * @example
 * const domain = client.tee.reportDomain();
 * @throws nothing for a context built by createMarketplaceContext.
 */
export function teeReportDomain(ctx: MarketplaceContext): OrderReportDomain {
  return orderReportDomain(ctx.deployment.chainId, ctx.deployment.contracts.orders);
}

/**
 * The report data the TEE's quote must carry to publish a TCB for a TEE offer on this
 * deployment's registry: it binds the TEE key and the ECIES public key to this chain, registry
 * and offer.
 *
 * @param ctx The marketplace context.
 * @param params `teeOfferId`; `teeKey`: the TEE signing key's address; `publicKey`: the ECIES
 * public key, exact bytes.
 * @example
 * const reportData = client.tee.attestationReportData({ teeOfferId, teeKey: teeAccount.address, publicKey });
 * @throws {InputError} naming `teeOfferId`, `teeKey` or `publicKey` when malformed.
 */
export function teeAttestationReportData(
  ctx: MarketplaceContext,
  params: { teeOfferId: bigint | number | string; teeKey: Address; publicKey: Hex | Uint8Array },
): Hex {
  return tcbReportData({
    chainId: ctx.deployment.chainId,
    registry: ctx.deployment.contracts.tcbRegistry,
    teeOfferId: params.teeOfferId,
    teeKey: params.teeKey,
    publicKey: params.publicKey,
  });
}

/**
 * The EIP-712 domain an attestation service signs over for this deployment's verifier.
 *
 * @param ctx The marketplace context.
 * @example
 * const signature = await signAttestation(serviceKey, client.tee.attestationDomain(), attestation);
 * @throws nothing for a context built by createMarketplaceContext.
 */
export function teeAttestationDomain(ctx: MarketplaceContext): AttestationDomain {
  return attestationDomain(ctx.deployment.chainId, ctx.deployment.contracts.attestationVerifier);
}
