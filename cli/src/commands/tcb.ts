/**
 * `tee-market tcb`: publish and read TEE attestations (TCBs).
 * The commands as declared (names, options, help); each runs from `../tcb.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";

const implementation = () => import("../tcb.js");

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
  run: (ctx, input) => implementation().then((m) => m.runUpload(ctx, input)),
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
  run: (ctx, input) => implementation().then((m) => m.runReportData(ctx, input)),
};

const get: Command = {
  name: "get",
  summary: "Show a TCB, by id or as the active TCB of a TEE offer.",
  args: "[<tcbId>]",
  positionals: { min: 0, max: 1 },
  options: { "tee-offer": { type: "string", value: "<offerId>", description: "the TEE offer's active TCB" } },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

/** The `tcb` group. */
export const tcbGroup: Group = {
  name: "tcb",
  summary: "Publish and read TEE attestations (TCBs).",
  commands: [upload, reportData, get],
};
