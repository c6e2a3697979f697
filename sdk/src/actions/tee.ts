/**
 * Helpers for the TEE side, bound to a deployment: open what data owners encrypted for the TEE,
 * sign order reports over this deployment's Orders domain, compute the report data a quote must
 * carry for this deployment's TCB registry. No RPC.
 */
import type { Address, Hex } from "viem";

import { type AttestationDomain, attestationDomain, tcbReportData } from "../attestation.js";
import type { MarketplaceContext } from "../context.js";
import { decryptWithTeeKey } from "../ecies.js";
import { type OrderReport, type OrderReportDomain, orderReportDomain, signOrderReport } from "../reports.js";

/**
 * Decrypts a suborder's encrypted result (or the workflow's encrypted arguments) with the TEE's
 * ECIES private key.
 *
 * @param _ctx The marketplace context (unused: decryption needs no chain).
 * @param params `privateKey`: the ECIES key whose public key is in the TCB; `ciphertext`.
 * @returns The plaintext bytes (`new TextDecoder().decode(...)` for text).
 * @example
 * const { encryptedResult } = await client.suborders.getResult({ suborderId });
 * const resource = JSON.parse(new TextDecoder().decode(client.tee.decryptInput({ privateKey: eciesKey, ciphertext: encryptedResult })));
 * @throws {InputError} naming `privateKey` or `ciphertext` when malformed.
 * @throws {DecryptionError} when it was encrypted for another key or altered.
 */
export function teeDecryptInput(
  _ctx: MarketplaceContext,
  params: { privateKey: Hex | Uint8Array; ciphertext: Hex | Uint8Array },
): Uint8Array {
  return decryptWithTeeKey(params.privateKey, params.ciphertext);
}

/**
 * Signs a report with the TEE key over this deployment's Orders domain (`reports.publish` does
 * this for you; use it when another process sends the transaction).
 *
 * @param ctx The marketplace context.
 * @param params `privateKey`: the TCB's TEE key; `report`.
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
 * The EIP-712 domain of this deployment's order reports.
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
 * The report data the TEE's quote must carry to publish a TCB on this deployment's registry:
 * it binds the TEE key and the ECIES public key to this chain and registry.
 *
 * @param ctx The marketplace context.
 * @param params `teeKey`: the TEE signing key's address; `publicKey`: the ECIES public key, exact bytes.
 * @example
 * const reportData = client.tee.attestationReportData({ teeKey: teeAccount.address, publicKey });
 * @throws {InputError} naming `teeKey` or `publicKey` when malformed.
 */
export function teeAttestationReportData(
  ctx: MarketplaceContext,
  params: { teeKey: Address; publicKey: Hex | Uint8Array },
): Hex {
  return tcbReportData({
    teeKey: params.teeKey,
    publicKey: params.publicKey,
    chainId: ctx.deployment.chainId,
    registry: ctx.deployment.contracts.tcbRegistry,
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
