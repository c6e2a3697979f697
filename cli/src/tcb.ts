/**
 * `tee-market tcb`: publish a TEE's attestation (TCB) with the proof of the registry's verifier, or
 * refresh it; compute the report data its quote must carry; read a TCB and its key's record; verify
 * its quote to Intel's root; authorize an enclave key; and the admin's commands: the measurement
 * allow-list, the attestation-service signers, revocation.
 */
import path from "node:path";

import type { Address, Hex } from "viem";

import { StateError, TcbStatus, encodeAttestationProof, enumName } from "@tee-marketplace/sdk";
import type { CommandContext, CommandInput } from "./command.js";
import {
  addressArg,
  bytes32Arg,
  flag,
  hexArg,
  idArg,
  optional,
  positional,
  readBytesFile,
  required,
  uintArg,
} from "./args.js";
import { UsageError, fields, type CommandResult } from "./output.js";
import { checkLines, quoteFlags, quoteVerdict } from "./quoteChecks.js";
import { saveOrShow } from "./saveTo.js";

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** The attestation's parts every publication takes: benchmark, properties and the verifier's proof. */
async function attestationInput(
  ctx: CommandContext,
  input: CommandInput,
): Promise<{ benchmark: bigint; properties: Hex; proof: Hex }> {
  const benchmark = uintArg(optional(input, "benchmark") ?? "0", "--benchmark", 64);
  const propertiesFile = optional(input, "properties");
  const properties =
    propertiesFile === undefined
      ? "0x"
      : await readBytesFile(path.resolve(ctx.io.cwd, propertiesFile), "--properties");
  const proofFile = optional(input, "proof");
  const parts = (["measurement", "expiry", "signature"] as const).map((name) => optional(input, name));
  let proof: Hex;
  if (proofFile !== undefined) {
    if (parts.some((p) => p !== undefined)) {
      throw new UsageError("pass either --proof <file> or --measurement, --expiry and --signature, not both");
    }
    proof = await readBytesFile(path.resolve(ctx.io.cwd, proofFile), "--proof");
  } else {
    const [measurement, expiry, signature] = parts;
    if (measurement === undefined || expiry === undefined || signature === undefined) {
      throw new UsageError(
        `tee-market ${input.command} needs the attestation proof: --proof <file>, or --measurement <hex32> --expiry <unix-seconds> --signature <hex>`,
      );
    }
    proof = encodeAttestationProof({
      measurement: bytes32Arg(measurement, "--measurement"),
      expiry: uintArg(expiry, "--expiry", 64),
      signature: hexArg(signature, "--signature"),
    });
  }
  return { benchmark, properties, proof };
}

/** `tcb upload`. */
export async function runUpload(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const teeOfferId = idArg(required(input, "tee-offer", "<offerId>"), "--tee-offer", "a TEE offer");
  const quote = await readBytesFile(path.resolve(ctx.io.cwd, required(input, "quote", "<file>")), "--quote");
  const publicKey = hexArg(required(input, "public-key", "<hex>"), "--public-key");
  const deviceId = bytes32Arg(required(input, "device-id", "<hex32>"), "--device-id");
  const { benchmark, properties, proof } = await attestationInput(ctx, input);
  const teeKeyValue = optional(input, "tee-key");
  const { client, account } = await ctx.writer();
  const teeKey = teeKeyValue === undefined ? account : addressArg(teeKeyValue, "--tee-key");
  const result = await ctx.out.pending(`Publishing a TCB for TEE offer ${teeOfferId}`, () =>
    client.tcb.upload({ teeOfferId, deviceId, teeKey, publicKey, quote, benchmark, properties, proof }),
  );
  return published(result, teeOfferId, teeKey);
}

/** `tcb report-data`. */
export async function runReportData(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const teeOfferId = idArg(required(input, "tee-offer", "<offerId>"), "--tee-offer", "a TEE offer");
  const teeKey = addressArg(required(input, "tee-key", "<address>"), "--tee-key");
  const publicKey = hexArg(required(input, "public-key", "<hex>"), "--public-key");
  const { client } = await ctx.reader();
  const data = client.tee.attestationReportData({ teeOfferId, teeKey, publicKey });
  return {
    text: data,
    json: {
      reportData: data,
      teeOfferId,
      teeKey,
      publicKey,
      chainId: client.deployment.chainId,
      tcbRegistry: client.deployment.contracts.tcbRegistry,
    },
  };
}

/** `tcb get`. */
export async function runGet(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const teeOffer = optional(input, "tee-offer");
  if ((input.positionals.length === 0) === (teeOffer === undefined)) {
    throw new UsageError("pass a <tcbId> or --tee-offer <offerId> (one of them)");
  }
  const { client } = await ctx.reader();
  const tcb =
    teeOffer === undefined
      ? await client.tcb.get({ tcbId: idArg(positional(input, 0), "<tcbId>", "a TCB") })
      : await client.tcb.active({ teeOfferId: idArg(teeOffer, "--tee-offer", "a TEE offer") });
  if (tcb === undefined)
    throw new StateError(`TEE offer ${teeOffer} has no TCB yet: its TEE has not published one`);
  const [publication, key] = await Promise.all([
    client.tcb.publication({ tcb }),
    client.tcb.teeKey({ teeKey: tcb.teeKey }),
  ]);
  const keyState = key.valid
    ? `valid until ${isoTime(key.validUntil)}`
    : key.revokedBlock !== 0n
      ? `revoked at block ${key.revokedBlock}`
      : `expired at ${isoTime(key.validUntil)}`;
  return saveOrShow(ctx.io.cwd, input, {
    text: [
      `TCB ${tcb.id} of TEE offer ${tcb.teeOfferId}: ${enumName(TcbStatus, tcb.status)}`,
      ...fields([
        ["TEE key", tcb.teeKey],
        ["public key", publication.publicKey],
        ["device id", publication.deviceId],
        ["measurement", tcb.measurement],
        ["benchmark", String(tcb.benchmark)],
        ["added", isoTime(tcb.addedAt)],
        ["valid until", isoTime(tcb.validUntil)],
      ]),
      `TEE key ${key.address}: ${keyState}`,
      ...fields([
        ["newest TCB", key.latestTcbId === 0n ? "none" : String(key.latestTcbId)],
        ["attested until", key.attestedUntil === 0n ? "never" : isoTime(Number(key.attestedUntil))],
        ["revoked", key.revokedBlock === 0n ? "no" : `at block ${key.revokedBlock}`],
      ]),
    ].join("\n"),
    json: {
      tcb: { ...tcb, status: enumName(TcbStatus, tcb.status) },
      publicKey: publication.publicKey,
      deviceId: publication.deviceId,
      quote: publication.quote,
      teeKey: {
        address: key.address,
        teeOfferId: key.teeOfferId,
        valid: key.valid,
        validUntil: key.validUntil,
        latestTcbId: key.latestTcbId,
        attestedUntil: key.attestedUntil,
        revokedBlock: key.revokedBlock,
      },
    },
  });
}

/** `tcb verify`: the TCB's quote checked to the root, trusting neither the registry nor its attestation service. */
export async function runVerify(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const tcbId = idArg(positional(input, 0), "<tcbId>", "a TCB");
  const quote = await quoteFlags(ctx, input);
  const { client } = await ctx.reader();
  const { verifyTcbQuote } = await import("@tee-marketplace/sdk/dcap");
  const result = await ctx.out.pending(`Verifying the quote of TCB ${tcbId}`, () =>
    verifyTcbQuote(client.context, { tcbId, collateral: quote.collateral, ...quote.options }),
  );
  const { summary, attested, attestedJson } = quoteVerdict(`The quote of TCB ${tcbId}`, result);
  return {
    text: [
      ...checkLines(result.checks),
      ...fields(
        [["expected report data", result.expectedReportData], ["collateral", quote.source], ...attested],
        "",
      ),
      summary,
    ].join("\n"),
    json: {
      tcbId,
      ok: result.ok,
      checks: result.checks,
      expectedReportData: result.expectedReportData,
      ...attestedJson,
    },
    ...(result.ok ? {} : { exitCode: 1, error: summary }),
  };
}

/** `tcb authorize`: the TEE offer's provider lets a new enclave key publish its first TCB itself (or withdraws that). */
export async function runAuthorize(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const teeOfferId = idArg(positional(input, 0), "<teeOfferId>", "a TEE offer");
  const teeKey = addressArg(positional(input, 1), "<teeKey>");
  const authorized = !flag(input, "revoke");
  const { client } = await ctx.writer();
  const { receipt } = await ctx.out.pending(
    `${authorized ? "Authorizing" : "Withdrawing the authorization of"} TEE key ${teeKey} for TEE offer ${teeOfferId}`,
    () => client.tcb.authorizeTeeKey({ teeOfferId, teeKey, authorized }),
  );
  return {
    text: [
      authorized
        ? `TEE key ${teeKey} may publish its first TCB for TEE offer ${teeOfferId}`
        : `TEE key ${teeKey} may no longer publish a first TCB for TEE offer ${teeOfferId}`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { teeOfferId, teeKey, authorized, transactionHash: receipt.transactionHash },
  };
}

/** `tcb refresh`: a new attestation for the enclave of a TEE offer's active TCB (same keys, device). */
export async function runRefresh(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const teeOfferId = idArg(required(input, "tee-offer", "<offerId>"), "--tee-offer", "a TEE offer");
  const quote = await readBytesFile(path.resolve(ctx.io.cwd, required(input, "quote", "<file>")), "--quote");
  const { benchmark, properties, proof } = await attestationInput(ctx, input);
  const { client } = await ctx.writer();
  const active = await client.tcb.active({ teeOfferId });
  if (active === undefined) {
    throw new StateError(
      `TEE offer ${teeOfferId} has no TCB to refresh: publish one with tee-market tcb upload`,
    );
  }
  const { deviceId, publicKey, teeKey } = await client.tcb.publication({ tcb: active });
  const result = await ctx.out.pending(`Refreshing TCB ${active.id} of TEE offer ${teeOfferId}`, () =>
    client.tcb.upload({ teeOfferId, deviceId, teeKey, publicKey, quote, benchmark, properties, proof }),
  );
  return published(result, teeOfferId, teeKey, active.id);
}

/** What `tcb upload` and `tcb refresh` print: the new TCB, its key, measurement and expiry. */
function published(
  result: { tcbId: bigint; measurement: Hex; validUntil: number; receipt: { transactionHash: Hex } },
  teeOfferId: bigint,
  teeKey: Address,
  previousTcbId?: bigint,
): CommandResult {
  const replacing = previousTcbId === undefined ? "" : `, replacing TCB ${previousTcbId}`;
  return {
    text: [
      `TCB ${result.tcbId} for TEE offer ${teeOfferId} has been published${replacing}`,
      ...fields([
        ["TEE key", teeKey],
        ["measurement", result.measurement],
        ["valid until", isoTime(result.validUntil)],
        ["transaction", result.receipt.transactionHash],
      ]),
    ].join("\n"),
    json: {
      tcbId: result.tcbId,
      ...(previousTcbId === undefined ? {} : { previousTcbId }),
      teeOfferId,
      teeKey,
      measurement: result.measurement,
      validUntil: result.validUntil,
      transactionHash: result.receipt.transactionHash,
    },
  };
}

/** `tcb set-measurement` (admin): allow or disallow an enclave measurement. */
export async function runSetMeasurement(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const measurement = bytes32Arg(positional(input, 0), "<measurement>");
  const allowed = !flag(input, "disallow");
  const { client } = await ctx.writer();
  const { receipt } = await ctx.out.pending(
    `${allowed ? "Allowing" : "Disallowing"} measurement ${measurement}`,
    () => client.tcb.setMeasurement({ measurement, allowed }),
  );
  return {
    text: [
      `Measurement ${measurement} is ${allowed ? "allowed" : "no longer allowed"}`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { measurement, allowed, transactionHash: receipt.transactionHash },
  };
}

/** `tcb set-signer` (admin): allow or disallow an attestation-service signer on the verifier. */
export async function runSetSigner(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const signer = addressArg(positional(input, 0), "<address>");
  const allowed = !flag(input, "disallow");
  const { client } = await ctx.writer();
  const { receipt } = await ctx.out.pending(
    `${allowed ? "Allowing" : "Disallowing"} attestation signer ${signer}`,
    () => client.tcb.setAttestationSigner({ signer, allowed }),
  );
  return {
    text: [
      `Attestation signer ${signer} is ${allowed ? "allowed" : "no longer allowed"}`,
      ...fields([["transaction", receipt.transactionHash]]),
    ].join("\n"),
    json: { signer, allowed, transactionHash: receipt.transactionHash },
  };
}

/** `tcb revoke`: the admin, or the TEE offer's provider, revokes a TCB. */
export async function runRevoke(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const tcbId = idArg(positional(input, 0), "<tcbId>", "a TCB");
  const { client } = await ctx.writer();
  const { receipt } = await ctx.out.pending(`Revoking TCB ${tcbId}`, () => client.tcb.revoke({ tcbId }));
  return {
    text: [`TCB ${tcbId} was revoked`, ...fields([["transaction", receipt.transactionHash]])].join("\n"),
    json: { tcbId, transactionHash: receipt.transactionHash },
  };
}
