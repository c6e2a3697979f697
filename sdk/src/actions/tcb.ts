/**
 * TCBs: publish a TEE's attestation with its proof, read it (and the blobs it was published with),
 * find a TEE offer's active TCB, revoke; the admin's measurement allow-list (`ITcbRegistry`) and
 * attestation-service signers (the EIP-712 verifier's `setSigner`).
 */
import { type Address, type Hex, type TransactionReceipt, keccak256 } from "viem";

import {
  MAX_ATTESTATION_PROOF_SIZE,
  MAX_PUBLIC_KEY_SIZE,
  MAX_QUOTE_SIZE,
  MAX_TCB_PROPERTIES_SIZE,
} from "../abi/protocol.js";
import { attestationVerifierAbi } from "../abi/attestationVerifier.js";
import { tcbRegistryAbi } from "../abi/tcbRegistry.js";
import type { MarketplaceCall } from "../calls.js";
import type { MarketplaceContext } from "../context.js";
import { tcbReportData } from "../attestation.js";
import { TcbStatus } from "../enums.js";
import { InputError, StateError } from "../errors.js";
import { eventOf, eventsAtBlock, read, send } from "../internal/contract.js";
import { toId } from "../internal/ids.js";
import { toAddress, toBytes32, toHexBytes, toUint } from "../validate.js";

/** A TCB as stored, with its id and what the registry says it is now. */
export interface Tcb {
  id: bigint;
  /** The TEE's signing key (signs order reports). */
  teeKey: Address;
  /** Unix seconds of publication. */
  addedAt: number;
  /** Unix seconds from which it is no longer valid. */
  validUntil: number;
  /** Block in which its TEE key was revoked (with every TCB of the key); 0 while not revoked. */
  revokedBlock: bigint;
  teeOfferId: bigint;
  /** Block of `TcbPublished` (the blobs). */
  publishedBlock: bigint;
  benchmark: bigint;
  measurement: Hex;
  /** keccak256 of the ECIES public key. */
  publicKeyHash: Hex;
  /** Active, Superseded, Expired or Revoked, now. */
  status: TcbStatus;
}

/** The blobs a TCB was published with (from its `TcbPublished` event). */
export interface TcbPublication {
  tcbId: bigint;
  teeOfferId: bigint;
  deviceId: Hex;
  teeKey: Address;
  previousTcbId: bigint;
  /** The ECIES public key data owners encrypt for; its keccak256 is checked against the stored hash. */
  publicKey: Hex;
  /** The quote (the registry checked it through its verifier at publication; only the public key's hash is stored). */
  quote: Hex;
  properties: Hex;
  blockNumber: bigint;
  transactionHash: Hex;
}

/** What {@link uploadTcb} takes (`ITcbRegistry.TcbParams`). */
export interface UploadTcbParameters {
  teeOfferId: bigint | number | string;
  /** Identifier of the TEE device, 32 bytes. */
  deviceId: Hex | Uint8Array;
  /** Address of the TEE's signing key. */
  teeKey: Address | string;
  /** The TEE's ECIES public key (`teePublicKeyFromPrivateKey`), bytes as in the quote's report data. */
  publicKey: Hex | Uint8Array;
  /** The TEE quote. */
  quote: Hex | Uint8Array;
  /** Benchmark score (uint64). */
  benchmark: bigint | number | string;
  /** Free-form properties blob; default none. */
  properties?: Hex | Uint8Array;
  /** Evidence for the verifier: for the EIP-712 verifier, `encodeAttestationProof(...)` of the attestation service's signature. */
  proof: Hex | Uint8Array;
}

/**
 * The `publishTcb` call of {@link uploadTcb}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params See {@link UploadTcbParameters}.
 * @example
 * const call = uploadTcbCall(ctx, { teeOfferId, deviceId, teeKey, publicKey, quote, benchmark, proof });
 * @throws {InputError} naming the field that is malformed or over its cap.
 */
export function uploadTcbCall(
  ctx: MarketplaceContext,
  params: UploadTcbParameters,
): MarketplaceCall<typeof tcbRegistryAbi, "publishTcb"> {
  const tcbParams = {
    teeOfferId: toId(params.teeOfferId, "teeOfferId", "a TEE offer"),
    deviceId: toBytes32(params.deviceId, "deviceId"),
    teeKey: toAddress(params.teeKey, "teeKey"),
    publicKey: toHexBytes(params.publicKey, "publicKey", { maxSize: MAX_PUBLIC_KEY_SIZE }),
    quote: toHexBytes(params.quote, "quote", { maxSize: MAX_QUOTE_SIZE }),
    benchmark: toUint(params.benchmark, "benchmark", { bits: 64 }),
    properties: toHexBytes(params.properties ?? "0x", "properties", { maxSize: MAX_TCB_PROPERTIES_SIZE }),
    proof: toHexBytes(params.proof, "proof", { maxSize: MAX_ATTESTATION_PROOF_SIZE }),
  };
  return {
    address: ctx.deployment.contracts.tcbRegistry,
    abi: tcbRegistryAbi,
    functionName: "publishTcb",
    args: [tcbParams],
  };
}

/**
 * Publishes a TCB: the TEE's attestation and the proof the registry's verifier checks. It becomes
 * the active TCB of its TEE offer, and its TEE key the offer's enclave for new workflows. Send from
 * the TEE offer's provider authority or action account, or from the TEE key itself when it
 * refreshes its own TCB or was authorized once (`tcb.authorizeTeeKey`).
 *
 * @param ctx The marketplace context.
 * @param params See {@link UploadTcbParameters}.
 * @returns The receipt, the new TCB's id, its measurement and `validUntil`.
 * @example
 * const reportData = client.tee.attestationReportData({ teeOfferId, teeKey, publicKey });
 * const proof = await attestationService.attest({ quote, teeOfferId, teeKey, publicKey }); // encodeAttestationProof(...)
 * const { tcbId } = await client.tcb.upload({ teeOfferId, deviceId, teeKey, publicKey, quote, benchmark: 1000n, proof });
 * @throws {InputError} naming the field that is malformed or over its cap, or `walletClient`.
 * @throws {ContractError} `TcbCallerNotAuthorized`, `TcbOfferNotTee`, `TcbMeasurementNotAllowed`,
 * `TcbTeeKeyRevoked`, `TcbTeeKeyOfOtherOffer`, `TcbAttestationReused` (an attestation no later
 * than the key's last), `AttestationExpired`, `AttestationSignerNotAllowed`,
 * `AttestationProofMalformed`, ...
 */
export async function uploadTcb(
  ctx: MarketplaceContext,
  params: UploadTcbParameters,
): Promise<{ receipt: TransactionReceipt; tcbId: bigint; measurement: Hex; validUntil: number }> {
  const call = uploadTcbCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot publish a TCB for TEE offer ${call.args[0].teeOfferId}`);
  const event = eventOf(receipt, call.address, tcbRegistryAbi, "TcbPublished");
  return {
    receipt,
    tcbId: event.args.tcbId,
    measurement: event.args.measurement,
    validUntil: event.args.validUntil,
  };
}

/**
 * A TCB and its status now (two calls, one round trip with a batching transport).
 *
 * @param ctx The marketplace context.
 * @param params `tcbId`.
 * @example
 * const tcb = await client.tcb.get({ tcbId });
 * if (tcb.status !== TcbStatus.Active) console.log("not the active, valid TCB");
 * @throws {InputError} naming `tcbId`.
 * @throws {ContractError} `TcbNotFound`.
 */
export async function getTcb(
  ctx: MarketplaceContext,
  params: { tcbId: bigint | number | string },
): Promise<Tcb> {
  const tcbId = toId(params.tcbId, "tcbId", "a TCB");
  const address = ctx.deployment.contracts.tcbRegistry;
  const [raw, status] = await Promise.all([
    read(
      ctx,
      { address, abi: tcbRegistryAbi, functionName: "getTcb", args: [tcbId] },
      `Cannot read TCB ${tcbId}`,
    ),
    read(
      ctx,
      { address, abi: tcbRegistryAbi, functionName: "tcbStatus", args: [tcbId] },
      `Cannot read TCB ${tcbId}`,
    ),
  ]);
  return { id: tcbId, ...raw, status: status as TcbStatus };
}

/**
 * The active TCB of a TEE offer (its newest, whatever its validity: check `status`), or
 * `undefined` when the offer has none. One `eth_call` (`getActiveTcb`).
 *
 * @param ctx The marketplace context.
 * @param params `teeOfferId`.
 * @example
 * const tcb = await client.tcb.active({ teeOfferId });
 * if (tcb?.status === TcbStatus.Active) console.log(`the offer's enclave is ${tcb.teeKey}`);
 * @throws {InputError} naming `teeOfferId`.
 */
export async function getActiveTcb(
  ctx: MarketplaceContext,
  params: { teeOfferId: bigint | number | string },
): Promise<Tcb | undefined> {
  const teeOfferId = toId(params.teeOfferId, "teeOfferId", "a TEE offer");
  const [tcbId, raw, status] = await read(
    ctx,
    {
      address: ctx.deployment.contracts.tcbRegistry,
      abi: tcbRegistryAbi,
      functionName: "getActiveTcb",
      args: [teeOfferId],
    },
    `Cannot read the active TCB of TEE offer ${teeOfferId}`,
  );
  return tcbId === 0n ? undefined : { id: tcbId, ...raw, status: status as TcbStatus };
}

/** A TEE key's record: the enclave it names, its newest TCB, whether it is valid now. */
export interface TeeKey {
  /** The key's address. */
  address: Address;
  /** The TEE offer it serves (a key serves one offer for good); 0 before its first TCB. */
  teeOfferId: bigint;
  /** Its newest TCB; 0 before its first. */
  latestTcbId: bigint;
  /** Unix seconds from which it is no longer valid (its newest TCB's `validUntil`). */
  validUntil: number;
  /** Expiry of the newest attestation it was published with (each must be later than the last). */
  attestedUntil: bigint;
  /** Block of its revocation; 0 while not revoked. */
  revokedBlock: bigint;
  /** Whether it is valid now: not revoked, and its newest TCB not expired. */
  valid: boolean;
  /** Its newest TCB as stored (without a status), `undefined` before its first. */
  latestTcb: Omit<Tcb, "status"> | undefined;
}

/**
 * A TEE key's record and its newest TCB, and whether it is valid now (two calls, one round trip
 * with a batching transport). An order's enclave is a TEE key: `orders.get` gives it.
 *
 * @param ctx The marketplace context.
 * @param params `teeKey`: the key's address.
 * @example
 * const { order } = await client.orders.get({ orderId });
 * const key = await client.tcb.teeKey({ teeKey: order.teeKey });
 * if (!key.valid) console.log("the order's enclave can no longer report");
 * @throws {InputError} naming `teeKey`.
 */
export async function getTeeKey(
  ctx: MarketplaceContext,
  params: { teeKey: Address | string },
): Promise<TeeKey> {
  const teeKey = toAddress(params.teeKey, "teeKey");
  const address = ctx.deployment.contracts.tcbRegistry;
  const [[record, latest], valid] = await Promise.all([
    read(
      ctx,
      { address, abi: tcbRegistryAbi, functionName: "getTeeKey", args: [teeKey] },
      `Cannot read TEE key ${teeKey}`,
    ),
    read(
      ctx,
      { address, abi: tcbRegistryAbi, functionName: "isTeeKeyValid", args: [teeKey] },
      `Cannot read TEE key ${teeKey}`,
    ),
  ]);
  return {
    address: teeKey,
    ...record,
    valid,
    latestTcb: record.latestTcbId === 0n ? undefined : { id: record.latestTcbId, ...latest },
  };
}

/**
 * The `authorizeTeeKey` call of {@link authorizeTeeKey}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `teeOfferId`, `teeKey`, `authorized`.
 * @example
 * const call = authorizeTeeKeyCall(ctx, { teeOfferId, teeKey, authorized: true });
 * @throws {InputError} naming the parameter that is malformed.
 */
export function authorizeTeeKeyCall(
  ctx: MarketplaceContext,
  params: { teeOfferId: bigint | number | string; teeKey: Address | string; authorized: boolean },
): MarketplaceCall<typeof tcbRegistryAbi, "authorizeTeeKey"> {
  const teeOfferId = toId(params.teeOfferId, "teeOfferId", "a TEE offer");
  const teeKey = toAddress(params.teeKey, "teeKey");
  if (typeof params.authorized !== "boolean") throw new InputError("authorized", "expected true or false");
  return {
    address: ctx.deployment.contracts.tcbRegistry,
    abi: tcbRegistryAbi,
    functionName: "authorizeTeeKey",
    args: [teeOfferId, teeKey, params.authorized],
  };
}

/**
 * Lets a new enclave publish its first TCB for a TEE offer itself (the TEE offer's provider
 * authority or action account): the authorization is used up by that publication, after which
 * the key refreshes its own TCBs. Without it, only the provider's accounts publish.
 *
 * @param ctx The marketplace context.
 * @param params `teeOfferId`, `teeKey`: the enclave's signing key, `authorized` (false withdraws it).
 * @example
 * await provider.tcb.authorizeTeeKey({ teeOfferId, teeKey: enclaveAddress, authorized: true });
 * @throws {InputError} naming the parameter, or `walletClient`.
 * @throws {ContractError} `TcbCallerNotAuthorized`, `TcbOfferNotTee`, `TcbTeeKeyZero`,
 * `TcbTeeKeyRevoked`, `TcbTeeKeyOfOtherOffer`.
 */
export async function authorizeTeeKey(
  ctx: MarketplaceContext,
  params: { teeOfferId: bigint | number | string; teeKey: Address | string; authorized: boolean },
): Promise<{ receipt: TransactionReceipt }> {
  const call = authorizeTeeKeyCall(ctx, params);
  const [teeOfferId, teeKey] = call.args;
  const receipt = await send(ctx, call, `Cannot authorize TEE key ${teeKey} for TEE offer ${teeOfferId}`);
  return { receipt };
}

/**
 * Whether a TEE key may publish its next TCB for a TEE offer itself (authorized by the offer's
 * provider, not used up yet).
 *
 * @param ctx The marketplace context.
 * @param params `teeOfferId`, `teeKey`.
 * @example
 * if (await client.tcb.isTeeKeyAuthorized({ teeOfferId, teeKey })) console.log("the enclave can publish its first TCB");
 * @throws {InputError} naming `teeOfferId` or `teeKey`.
 */
export async function isTeeKeyAuthorized(
  ctx: MarketplaceContext,
  params: { teeOfferId: bigint | number | string; teeKey: Address | string },
): Promise<boolean> {
  const teeOfferId = toId(params.teeOfferId, "teeOfferId", "a TEE offer");
  const teeKey = toAddress(params.teeKey, "teeKey");
  return read(
    ctx,
    {
      address: ctx.deployment.contracts.tcbRegistry,
      abi: tcbRegistryAbi,
      functionName: "isTeeKeyAuthorized",
      args: [teeOfferId, teeKey],
    },
    `Cannot read the authorization of TEE key ${teeKey}`,
  );
}

/**
 * The blobs a TCB was published with: one `eth_getLogs` over its `publishedBlock`. The public key
 * is checked against the hash the registry stored.
 *
 * @param ctx The marketplace context.
 * @param params `tcb`: a TCB read with {@link getTcb} (no extra call), or `tcbId`.
 * @example
 * const { publicKey } = await client.tcb.publication({ tcb });
 * const ciphertext = encryptForTee(publicKey, JSON.stringify(resource));
 * @throws {InputError} naming `tcbId`.
 * @throws {ContractError} `TcbNotFound`.
 * @throws {StateError} when the event is missing or its public key does not hash to the stored hash.
 */
export async function getTcbPublication(
  ctx: MarketplaceContext,
  params: { tcb: Pick<Tcb, "id" | "publishedBlock" | "publicKeyHash"> } | { tcbId: bigint | number | string },
): Promise<TcbPublication> {
  const tcb = "tcb" in params ? params.tcb : await getTcb(ctx, params);
  const events = await eventsAtBlock(ctx, {
    address: ctx.deployment.contracts.tcbRegistry,
    abi: tcbRegistryAbi,
    eventName: "TcbPublished",
    args: { tcbId: tcb.id },
    block: tcb.publishedBlock,
  });
  const event = events[0];
  if (event === undefined) {
    throw new StateError(
      `No TcbPublished event of TCB ${tcb.id} at block ${tcb.publishedBlock}; the RPC may have pruned its logs.`,
    );
  }
  const { args } = event;
  if (keccak256(args.publicKey) !== tcb.publicKeyHash) {
    throw new StateError(
      `The public key published for TCB ${tcb.id} hashes to ${keccak256(args.publicKey)}, not to the stored ` +
        `${tcb.publicKeyHash}: do not encrypt for it, and check the RPC.`,
    );
  }
  return {
    tcbId: args.tcbId,
    teeOfferId: args.teeOfferId,
    deviceId: args.deviceId,
    teeKey: args.teeKey,
    previousTcbId: args.previousTcbId,
    publicKey: args.publicKey,
    quote: args.quote,
    properties: args.properties,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
  };
}

/**
 * The quote a TCB was published with, and the report data the registry bound it to
 * ({@link tcbReportData} of its chain, registry, offer, TEE key and public key): what a verifier
 * checks the quote against. Used by `verifyTcbQuote` and report verification; not a public export.
 *
 * @throws {StateError} as {@link getTcbPublication}.
 */
export async function getTcbQuoteBinding(
  ctx: MarketplaceContext,
  tcb: Pick<Tcb, "id" | "publishedBlock" | "publicKeyHash" | "teeOfferId" | "teeKey">,
): Promise<{ quote: Hex; expectedReportData: Hex }> {
  const publication = await getTcbPublication(ctx, { tcb });
  const expectedReportData = tcbReportData({
    chainId: ctx.deployment.chainId,
    registry: ctx.deployment.contracts.tcbRegistry,
    teeOfferId: tcb.teeOfferId,
    teeKey: tcb.teeKey,
    publicKey: publication.publicKey,
  });
  return { quote: publication.quote, expectedReportData };
}

/**
 * The `revokeTcb` call of {@link revokeTcb}, checked but not sent.
 *
 * @param ctx The marketplace context.
 * @param params `tcbId`.
 * @example
 * const call = revokeTcbCall(ctx, { tcbId });
 * @throws {InputError} naming `tcbId`.
 */
export function revokeTcbCall(
  ctx: MarketplaceContext,
  params: { tcbId: bigint | number | string },
): MarketplaceCall<typeof tcbRegistryAbi, "revokeTcb"> {
  return {
    address: ctx.deployment.contracts.tcbRegistry,
    abi: tcbRegistryAbi,
    functionName: "revokeTcb",
    args: [toId(params.tcbId, "tcbId", "a TCB")],
  };
}

/**
 * Revokes a TCB and with it its TEE key, for good: every TCB of the key becomes invalid, and the
 * orders bound to that enclave can no longer be reported or completed Done (a TCB admin, or the TEE
 * offer's provider authority or action account).
 *
 * @param ctx The marketplace context.
 * @param params `tcbId`.
 * @example
 * await client.tcb.revoke({ tcbId });
 * @throws {InputError} naming `tcbId` or `walletClient`.
 * @throws {ContractError} `TcbNotFound`, `TcbTeeKeyRevoked` (already revoked), `TcbCallerCannotRevoke`.
 */
export async function revokeTcb(
  ctx: MarketplaceContext,
  params: { tcbId: bigint | number | string },
): Promise<{ receipt: TransactionReceipt }> {
  const call = revokeTcbCall(ctx, params);
  const receipt = await send(ctx, call, `Cannot revoke TCB ${call.args[0]}`);
  return { receipt };
}

/**
 * The `setMeasurement` call of {@link setMeasurement}, checked but not sent (for the admin's multisig).
 *
 * @param ctx The marketplace context.
 * @param params `measurement` (32 bytes), `allowed`.
 * @example
 * const call = setMeasurementCall(ctx, { measurement: mrEnclave, allowed: true });
 * @throws {InputError} naming `measurement` or `allowed`.
 */
export function setMeasurementCall(
  ctx: MarketplaceContext,
  params: { measurement: Hex | Uint8Array; allowed: boolean },
): MarketplaceCall<typeof tcbRegistryAbi, "setMeasurement"> {
  const measurement = toBytes32(params.measurement, "measurement");
  if (typeof params.allowed !== "boolean") throw new InputError("allowed", "expected true or false");
  return {
    address: ctx.deployment.contracts.tcbRegistry,
    abi: tcbRegistryAbi,
    functionName: "setMeasurement",
    args: [measurement, params.allowed],
  };
}

/**
 * Allows or disallows a measurement (admin: `TCB_ADMIN_ROLE`). TCBs are published only with an
 * allowed measurement; `reports.verify` checks that the report's TCB measurement is still allowed.
 *
 * @param ctx The marketplace context.
 * @param params `measurement` (32 bytes), `allowed`.
 * @example
 * await adminClient.tcb.setMeasurement({ measurement: mrEnclave, allowed: true });
 * @throws {InputError} naming `measurement`, `allowed` or `walletClient`.
 * @throws {ContractError} `AccessControlUnauthorizedAccount` when the wallet is not a TCB admin.
 */
export async function setMeasurement(
  ctx: MarketplaceContext,
  params: { measurement: Hex | Uint8Array; allowed: boolean },
): Promise<{ receipt: TransactionReceipt }> {
  const call = setMeasurementCall(ctx, params);
  const receipt = await send(
    ctx,
    call,
    `Cannot ${params.allowed ? "allow" : "disallow"} measurement ${call.args[0]}`,
  );
  return { receipt };
}

/**
 * Whether a measurement is on the allow-list now.
 *
 * @param ctx The marketplace context.
 * @param params `measurement` (32 bytes).
 * @example
 * if (!(await client.tcb.isMeasurementAllowed({ measurement }))) console.log("not allowed");
 * @throws {InputError} naming `measurement`.
 */
export async function isMeasurementAllowed(
  ctx: MarketplaceContext,
  params: { measurement: Hex | Uint8Array },
): Promise<boolean> {
  const measurement = toBytes32(params.measurement, "measurement");
  return read(
    ctx,
    {
      address: ctx.deployment.contracts.tcbRegistry,
      abi: tcbRegistryAbi,
      functionName: "isMeasurementAllowed",
      args: [measurement],
    },
    `Cannot read measurement ${measurement}`,
  );
}

/**
 * The verifier's `setSigner` call of {@link setAttestationSigner}, checked but not sent (for the
 * admin's multisig).
 *
 * @param ctx The marketplace context.
 * @param params `signer`: the attestation service's signing address; `allowed`.
 * @example
 * const call = setAttestationSignerCall(ctx, { signer: serviceAddress, allowed: true });
 * @throws {InputError} naming `signer` or `allowed`.
 */
export function setAttestationSignerCall(
  ctx: MarketplaceContext,
  params: { signer: Address | string; allowed: boolean },
): MarketplaceCall<typeof attestationVerifierAbi, "setSigner"> {
  const signer = toAddress(params.signer, "signer");
  if (typeof params.allowed !== "boolean") throw new InputError("allowed", "expected true or false");
  return {
    address: ctx.deployment.contracts.attestationVerifier,
    abi: attestationVerifierAbi,
    functionName: "setSigner",
    args: [signer, params.allowed],
  };
}

/**
 * Allows or disallows an attestation-service signer on the deployment's EIP-712 attestation
 * verifier (admin: `SIGNER_ADMIN_ROLE`). TCBs are published only with an attestation of an allowed
 * signer.
 *
 * @param ctx The marketplace context.
 * @param params `signer`, `allowed`.
 * @example
 * await adminClient.tcb.setAttestationSigner({ signer: serviceAddress, allowed: true });
 * @throws {InputError} naming `signer`, `allowed` or `walletClient`.
 * @throws {ContractError} `AccessControlUnauthorizedAccount` when the wallet is not a signer admin.
 */
export async function setAttestationSigner(
  ctx: MarketplaceContext,
  params: { signer: Address | string; allowed: boolean },
): Promise<{ receipt: TransactionReceipt }> {
  const call = setAttestationSignerCall(ctx, params);
  const receipt = await send(
    ctx,
    call,
    `Cannot ${params.allowed ? "allow" : "disallow"} attestation signer ${call.args[0]}`,
  );
  return { receipt };
}

/**
 * Whether an address is an allowed attestation-service signer of the deployment's verifier now.
 *
 * @param ctx The marketplace context.
 * @param params `signer`.
 * @example
 * if (!(await client.tcb.isAttestationSigner({ signer }))) console.log("not allowed");
 * @throws {InputError} naming `signer`.
 */
export async function isAttestationSigner(
  ctx: MarketplaceContext,
  params: { signer: Address | string },
): Promise<boolean> {
  const signer = toAddress(params.signer, "signer");
  return read(
    ctx,
    {
      address: ctx.deployment.contracts.attestationVerifier,
      abi: attestationVerifierAbi,
      functionName: "isSigner",
      args: [signer],
    },
    `Cannot read attestation signer ${signer}`,
  );
}
