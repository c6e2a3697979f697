/**
 * `tee-market tcb`: publish a TEE's attestation (TCB) with the proof of the registry's verifier,
 * compute the report data its quote must carry, read a TCB.
 */
import path from "node:path";

import type { Hex } from "viem";

import { StateError, TcbStatus, encodeAttestationProof, enumName } from "@tee-marketplace/sdk";
import { type Command, type Group } from "./command.js";
import {
  addressArg,
  bytes32Arg,
  hexArg,
  idArg,
  optional,
  positional,
  readBytesFile,
  required,
  uintArg,
} from "./args.js";
import { UsageError, fields } from "./output.js";

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

const upload: Command = {
  name: "upload",
  summary: "Publish a TCB for a TEE offer: the TEE's keys, its quote and the attestation proof.",
  options: {
    "tee-offer": { type: "string", value: "<offerId>", required: true, description: "the TEE offer" },
    quote: {
      type: "string",
      value: "<file>",
      required: true,
      description: "the TEE quote (raw bytes, or 0x hex text)",
    },
    "public-key": {
      type: "string",
      value: "<hex>",
      required: true,
      description: "the TEE's ECIES public key, 0x hex (data owners encrypt for it)",
    },
    "tee-key": {
      type: "string",
      value: "<address>",
      description: "address of the TEE's signing key (default: the key's account)",
    },
    "device-id": { type: "string", value: "<hex32>", required: true, description: "the device id, 32 bytes" },
    benchmark: { type: "string", value: "<n>", description: "benchmark score (default 0)" },
    properties: {
      type: "string",
      value: "<file>",
      description: "properties blob (raw bytes or 0x hex text)",
    },
    proof: {
      type: "string",
      value: "<file>",
      description: "the verifier's proof (raw bytes or 0x hex text), or give its parts:",
    },
    measurement: { type: "string", value: "<hex32>", description: "the attested measurement" },
    expiry: { type: "string", value: "<unix-seconds>", description: "the attestation's expiry" },
    signature: { type: "string", value: "<hex>", description: "the attestation service's signature" },
  },
  details: [
    "The quote's report data must bind the TEE key and public key to this chain and registry:",
    "tee-market tcb report-data --tee-key <address> --public-key <hex> prints it.",
    "Send from the TEE offer's provider authority, its action account, or the TEE key itself.",
  ],
  async run(ctx, input) {
    const teeOfferId = idArg(required(input, "tee-offer", "<offerId>"), "--tee-offer", "a TEE offer");
    const quote = await readBytesFile(
      path.resolve(ctx.io.cwd, required(input, "quote", "<file>")),
      "--quote",
    );
    const publicKey = hexArg(required(input, "public-key", "<hex>"), "--public-key");
    const deviceId = bytes32Arg(required(input, "device-id", "<hex32>"), "--device-id");
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
        throw new UsageError(
          "pass either --proof <file> or --measurement, --expiry and --signature, not both",
        );
      }
      proof = await readBytesFile(path.resolve(ctx.io.cwd, proofFile), "--proof");
    } else {
      const [measurement, expiry, signature] = parts;
      if (measurement === undefined || expiry === undefined || signature === undefined) {
        throw new UsageError(
          "tcb upload needs the attestation proof: --proof <file>, or --measurement <hex32> --expiry <unix-seconds> --signature <hex>",
        );
      }
      proof = encodeAttestationProof({
        measurement: bytes32Arg(measurement, "--measurement"),
        expiry: uintArg(expiry, "--expiry", 64),
        signature: hexArg(signature, "--signature"),
      });
    }
    const teeKeyValue = optional(input, "tee-key");
    const { client, account } = await ctx.writer();
    const teeKey = teeKeyValue === undefined ? account : addressArg(teeKeyValue, "--tee-key");
    const result = await ctx.out.pending(`Publishing a TCB for TEE offer ${teeOfferId}`, () =>
      client.tcb.upload({ teeOfferId, deviceId, teeKey, publicKey, quote, benchmark, properties, proof }),
    );
    return {
      text: [
        `TCB ${result.tcbId} for TEE offer ${teeOfferId} has been published`,
        ...fields([
          ["TEE key", teeKey],
          ["measurement", result.measurement],
          ["valid until", isoTime(result.validUntil)],
          ["transaction", result.receipt.transactionHash],
        ]),
      ].join("\n"),
      json: {
        tcbId: result.tcbId,
        teeOfferId,
        teeKey,
        measurement: result.measurement,
        validUntil: result.validUntil,
        transactionHash: result.receipt.transactionHash,
      },
    };
  },
};

const reportData: Command = {
  name: "report-data",
  summary: "Print the report data a TEE's quote must carry to publish a TCB on this deployment.",
  options: {
    "tee-key": { type: "string", value: "<address>", required: true, description: "the TEE's signing key" },
    "public-key": {
      type: "string",
      value: "<hex>",
      required: true,
      description: "the TEE's ECIES public key",
    },
  },
  details: ["keccak256(abi.encode(teeKey, keccak256(publicKey), chainId, tcbRegistry))"],
  async run(ctx, input) {
    const teeKey = addressArg(required(input, "tee-key", "<address>"), "--tee-key");
    const publicKey = hexArg(required(input, "public-key", "<hex>"), "--public-key");
    const { client } = await ctx.reader();
    const data = client.tee.attestationReportData({ teeKey, publicKey });
    return {
      text: data,
      json: {
        reportData: data,
        teeKey,
        publicKey,
        chainId: client.deployment.chainId,
        tcbRegistry: client.deployment.contracts.tcbRegistry,
      },
    };
  },
};

const get: Command = {
  name: "get",
  summary: "Show a TCB, by id or as the active TCB of a TEE offer.",
  args: "[<tcbId>]",
  positionals: { min: 0, max: 1 },
  options: { "tee-offer": { type: "string", value: "<offerId>", description: "the TEE offer's active TCB" } },
  async run(ctx, input) {
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
    const publication = await client.tcb.publication({ tcb });
    return {
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
      ].join("\n"),
      json: {
        tcb: { ...tcb, status: enumName(TcbStatus, tcb.status) },
        publicKey: publication.publicKey,
        deviceId: publication.deviceId,
        quote: publication.quote,
      },
    };
  },
};

/** The `tcb` group. */
export const tcbGroup: Group = {
  name: "tcb",
  summary: "Publish and read TEE attestations (TCBs).",
  commands: [upload, reportData, get],
};
