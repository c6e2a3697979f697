/**
 * `tee-market tcb`: publish, refresh, read and verify TEE attestations (TCBs), authorize enclave
 * keys; the admin's allow-lists and revocation.
 * The commands as declared (names, options, help); each runs from `../tcb.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group, OptionSpec } from "../command.js";
import { QUOTE_DETAILS, QUOTE_OPTIONS } from "../quoteFlags.js";

const implementation = () => import("../tcb.js");

/** The attestation's parts every publication takes. */
const ATTESTATION_OPTIONS: Record<string, OptionSpec> = {
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
};
const QUOTE: OptionSpec = {
  type: "string",
  value: "<file>",
  required: true,
  description: "the TEE quote (raw bytes, or 0x hex text)",
};
const DISALLOW: OptionSpec = { type: "boolean", description: "take it off the list instead" };

const upload: Command = {
  name: "upload",
  summary: "Publish a TCB for a TEE offer: the TEE's keys, its quote and the attestation proof.",
  options: {
    "tee-offer": { type: "string", value: "<offerId>", required: true, description: "the TEE offer" },
    quote: QUOTE,
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
    ...ATTESTATION_OPTIONS,
  },
  details: [
    "The quote's report data must bind the TEE key and public key to this chain, registry and offer:",
    "tee-market tcb report-data --tee-offer <offerId> --tee-key <address> --public-key <hex> prints it.",
    "Send from the TEE offer's provider authority or action account, or from the TEE key itself when it",
    "refreshes its own TCB or was authorized once.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runUpload(ctx, input)),
};

const reportData: Command = {
  name: "report-data",
  summary: "Print the report data a TEE's quote must carry to publish a TCB on this deployment.",
  options: {
    "tee-offer": { type: "string", value: "<offerId>", required: true, description: "the TEE offer" },
    "tee-key": { type: "string", value: "<address>", required: true, description: "the TEE's signing key" },
    "public-key": {
      type: "string",
      value: "<hex>",
      required: true,
      description: "the TEE's ECIES public key",
    },
  },
  details: ["keccak256(abi.encode(chainId, tcbRegistry, teeOfferId, teeKey, keccak256(publicKey)))"],
  run: (ctx, input) => implementation().then((m) => m.runReportData(ctx, input)),
};

const get: Command = {
  name: "get",
  summary: "Show a TCB, by id or as the active TCB of a TEE offer, and its TEE key's record.",
  args: "[<tcbId>]",
  positionals: { min: 0, max: 1 },
  options: {
    "tee-offer": { type: "string", value: "<offerId>", description: "the TEE offer's active TCB" },
    "save-to": { type: "string", value: "<file>", description: "write the JSON result to this file" },
  },
  run: (ctx, input) => implementation().then((m) => m.runGet(ctx, input)),
};

const list: Command = {
  name: "list",
  summary: "List every TCB a TEE offer published, with its status now (from the indexer with --indexer).",
  options: {
    "tee-offer": { type: "string", value: "<offerId>", required: true, description: "the TEE offer" },
  },
  run: (ctx, input) => import("../tcbList.js").then((m) => m.runList(ctx, input)),
};

const verify: Command = {
  name: "verify",
  summary:
    "Verify a TCB's quote to Intel's root: genuine, TCB status, measurement (exit 1 when a check fails).",
  args: "<tcbId>",
  positionals: { min: 1, max: 1 },
  options: QUOTE_OPTIONS,
  details: [
    "Reads the TCB's quote and public key from the chain and checks that the quote carries the registry's",
    "binding of this TCB (chain, registry, TEE offer, TEE key, public key), trusting neither the registry",
    "nor its attestation service. Without --collateral or --pccs-url the collateral is fetched from Intel's PCS.",
    ...QUOTE_DETAILS,
  ],
  run: (ctx, input) => implementation().then((m) => m.runVerify(ctx, input)),
};

const authorize: Command = {
  name: "authorize",
  summary: "Let a new enclave key publish its first TCB for your TEE offer itself (--revoke withdraws it).",
  args: "<teeOfferId> <teeKey>",
  positionals: { min: 2, max: 2 },
  options: { revoke: { type: "boolean", description: "withdraw the authorization instead" } },
  details: [
    "Sent by the TEE offer's provider authority or action account. The authorization is used up by the",
    "key's first TCB; after that the key refreshes its own TCBs (tee-market tcb refresh).",
  ],
  run: (ctx, input) => implementation().then((m) => m.runAuthorize(ctx, input)),
};

const refresh: Command = {
  name: "refresh",
  summary: "Publish a new TCB for the enclave of a TEE offer's active TCB: a fresh quote and proof.",
  options: {
    "tee-offer": { type: "string", value: "<offerId>", required: true, description: "the TEE offer" },
    quote: QUOTE,
    ...ATTESTATION_OPTIONS,
  },
  details: [
    "The TEE key, public key and device id are the active TCB's. The enclave may send it with its",
    "own key (TEE_MARKET_PRIVATE_KEY of the TEE), as may the offer's provider or its action account.",
  ],
  run: (ctx, input) => implementation().then((m) => m.runRefresh(ctx, input)),
};

const setMeasurement: Command = {
  name: "set-measurement",
  summary: "Admin: allow an enclave measurement (TCBs are published only with an allowed one).",
  args: "<measurement>",
  positionals: { min: 1, max: 1 },
  options: { disallow: DISALLOW },
  details: ["Needs the TCB registry's TCB_ADMIN_ROLE."],
  run: (ctx, input) => implementation().then((m) => m.runSetMeasurement(ctx, input)),
};

const setSigner: Command = {
  name: "set-signer",
  summary: "Admin: allow an attestation service's signing address on the attestation verifier.",
  args: "<address>",
  positionals: { min: 1, max: 1 },
  options: { disallow: DISALLOW },
  details: ["Needs the verifier's SIGNER_ADMIN_ROLE."],
  run: (ctx, input) => implementation().then((m) => m.runSetSigner(ctx, input)),
};

const revoke: Command = {
  name: "revoke",
  summary: "Revoke a TCB (the TCB admin, or the TEE offer's provider or action account).",
  args: "<tcbId>",
  positionals: { min: 1, max: 1 },
  run: (ctx, input) => implementation().then((m) => m.runRevoke(ctx, input)),
};

/** The `tcb` group. */
export const tcbGroup: Group = {
  name: "tcb",
  summary:
    "Publish, refresh, read and verify TEE attestations (TCBs), authorize enclave keys; the admin's allow-lists and revocation.",
  commands: [upload, reportData, get, list, verify, authorize, refresh, setMeasurement, setSigner, revoke],
};
