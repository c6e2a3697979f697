/**
 * The deployment logic behind `scripts/deploy.ts` and `scripts/demo.ts`: which Ignition module and
 * parameters a network gets, the Ignition run itself (with a journal, so a second run resumes
 * instead of redeploying), and the record written to `deployments/<network>.json`.
 *
 * Module choice: `Marketplace` (an existing ERC-20 as `paymentToken`) when the parameters name a
 * payment token; otherwise `TestMarketplace`, which deploys the open-mint `TestPaymentToken` and is
 * refused on opBNB mainnet (chain 204).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import {
  HardhatArtifactResolver,
  errorDeploymentResultToExceptionMessage,
} from "@nomicfoundation/hardhat-ignition/helpers";
import {
  DeploymentResultType,
  type ExecutionEventListener,
  ExecutionEventResultType,
  type SolidityParameterType,
  TransactionStatus,
  deploy,
  listTransactions,
  status,
} from "@nomicfoundation/ignition-core";
import { artifacts, config } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, formatEther, getAddress, isAddress, zeroAddress } from "viem";

import {
  DEFAULT_TCB_LIFETIME,
  MODULE_VERSION,
  MarketplaceModule,
  TestMarketplaceModule,
} from "../../ignition/modules/Marketplace.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** opBNB mainnet: never gets the open-mint test token. */
export const MAINNET_CHAIN_ID = 204;
/** Chains of local development nodes, whose state may vanish when the node restarts. */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

export type ModuleId = typeof MarketplaceModule.id | typeof TestMarketplaceModule.id;
type ParameterSection = Record<string, SolidityParameterType>;

/** A deployment configuration problem the operator has to fix (printed without a stack trace). */
export class DeployConfigError extends Error {
  override name = "DeployConfigError";
}

/** What a network's parameters resolve to. */
export interface ResolvedParameters {
  moduleId: ModuleId;
  /** The parameters of that module (Ignition's `{ [moduleId]: parameters }`). */
  parameters: ParameterSection;
  /** The existing ERC-20 (`Marketplace` only). */
  paymentToken?: Address;
  /** The parameters file read, relative to the repository root (undefined when there is none). */
  file?: string;
}

const KNOWN_SECTIONS = new Set(["$global", MarketplaceModule.id, TestMarketplaceModule.id]);
const KNOWN_KEYS = new Set([
  "attestationSigner",
  "tcbLifetime",
  "processingTimeout",
  "blockedTimeout",
  "paymentToken",
]);

/** A path as the operator reads it: relative to the repository root when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(repoRoot, file);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/**
 * Reads and checks a network's Ignition parameters (`ignition/parameters/<network>.json` unless
 * `parametersFile` is given) and picks the module. No RPC: it runs before anything is sent.
 *
 * @param options `networkName`; `chainId` as configured for the network (if any); `parametersFile`;
 * `attestationSigner` (overrides the file's, e.g. from ATTESTATION_SIGNER).
 * @throws {DeployConfigError} naming the file and field to fill when the attestation signer is
 * missing or malformed, when a value is malformed, or when opBNB mainnet has no payment token.
 */
export async function resolveDeployParameters(options: {
  networkName: string;
  chainId?: number | undefined;
  parametersFile?: string | undefined;
  attestationSigner?: string | undefined;
}): Promise<ResolvedParameters> {
  const { networkName } = options;
  const file = path.resolve(
    repoRoot,
    options.parametersFile ?? path.join("ignition", "parameters", `${networkName}.json`),
  );
  const where = displayPath(file);
  let sections: Record<string, ParameterSection> = {};
  if (existsSync(file)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new DeployConfigError(`${where} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new DeployConfigError(`${where}: expected { "$global": { ... }, "Marketplace": { ... } }`);
    }
    for (const [name, section] of Object.entries(json)) {
      if (!KNOWN_SECTIONS.has(name)) {
        throw new DeployConfigError(
          `${where}: unknown section "${name}" (expected "$global", "Marketplace" or "TestMarketplace")`,
        );
      }
      if (typeof section !== "object" || section === null || Array.isArray(section)) {
        throw new DeployConfigError(`${where}: "${name}" must be an object of parameters`);
      }
      for (const key of Object.keys(section)) {
        if (!KNOWN_KEYS.has(key)) {
          throw new DeployConfigError(
            `${where}: unknown parameter "${name}.${key}" (known: ${[...KNOWN_KEYS].join(", ")})`,
          );
        }
      }
    }
    sections = json as Record<string, ParameterSection>;
  } else if (options.attestationSigner === undefined) {
    throw new DeployConfigError(
      `No parameters for network "${networkName}": create ${where} with ` +
        `{ "$global": { "attestationSigner": "0x…" } } (the address your attestation service signs with), ` +
        `or set ATTESTATION_SIGNER.`,
    );
  }
  const global = sections["$global"] ?? {};
  const lookup = (moduleId: ModuleId, key: string) => {
    const fromModule = sections[moduleId]?.[key];
    if (fromModule !== undefined && fromModule !== "")
      return { value: fromModule, field: `${moduleId}.${key}` };
    const fromGlobal = global[key];
    if (fromGlobal !== undefined && fromGlobal !== "") return { value: fromGlobal, field: `$global.${key}` };
    return undefined;
  };

  const misplaced = sections[TestMarketplaceModule.id]?.["paymentToken"];
  if (misplaced !== undefined && misplaced !== "") {
    throw new DeployConfigError(
      `${where}: "TestMarketplace.paymentToken" has no effect (TestMarketplace deploys its own test token); ` +
        `put an existing ERC-20 under "Marketplace.paymentToken".`,
    );
  }
  const token = lookup(MarketplaceModule.id, "paymentToken");
  const paymentToken =
    token === undefined ? undefined : checkAddress(token.value, `${where}: "${token.field}"`);
  const moduleId: ModuleId = paymentToken === undefined ? TestMarketplaceModule.id : MarketplaceModule.id;
  if (paymentToken === undefined && (networkName === "opbnb" || options.chainId === MAINNET_CHAIN_ID)) {
    throw new DeployConfigError(
      `No payment token for ${networkName}: mainnet never gets the open-mint TestPaymentToken. ` +
        `Fill "Marketplace.paymentToken" in ${where} with the address of the ERC-20 deposits are paid in.`,
    );
  }

  const parameters: ParameterSection = {};
  if (options.attestationSigner !== undefined) {
    parameters.attestationSigner = checkAddress(options.attestationSigner, "ATTESTATION_SIGNER");
  } else {
    const signer = lookup(moduleId, "attestationSigner");
    if (signer === undefined) {
      throw new DeployConfigError(
        `No attestation signer for ${networkName}: fill "$global.attestationSigner" in ${where} with the ` +
          `address of your attestation service's signer (the operator's choice; an address, not a secret), ` +
          `or set ATTESTATION_SIGNER.`,
      );
    }
    parameters.attestationSigner = checkAddress(signer.value, `${where}: "${signer.field}"`);
  }
  for (const key of ["tcbLifetime", "processingTimeout", "blockedTimeout"]) {
    const found = lookup(moduleId, key);
    if (found === undefined) continue;
    const { value, field } = found;
    const seconds = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
    if (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds <= 0) {
      throw new DeployConfigError(
        `${where}: "${field}" must be a positive number of seconds, got ${JSON.stringify(value)}`,
      );
    }
    parameters[key] = seconds;
  }
  if (paymentToken !== undefined) parameters.paymentToken = paymentToken;
  return {
    moduleId,
    parameters,
    ...(paymentToken === undefined ? {} : { paymentToken }),
    ...(existsSync(file) ? { file: where } : {}),
  };
}

function checkAddress(value: unknown, what: string): Address {
  if (typeof value !== "string" || !isAddress(value)) {
    throw new DeployConfigError(
      `${what} must be an address (0x and 40 hex digits, EIP-55 checksum if mixed case), got ${JSON.stringify(value)}`,
    );
  }
  if (value.toLowerCase() === zeroAddress)
    throw new DeployConfigError(`${what} must not be the zero address`);
  return getAddress(value);
}

/** `deployments/<network>.json`: what the SDK's `readDeployment` reads, plus what an operator wants to know. */
export interface DeploymentRecord {
  network: string;
  chainId: number;
  moduleId: ModuleId;
  moduleVersion: string;
  contracts: {
    orders: Address;
    offerRegistry: Address;
    tcbRegistry: Address;
    attestationVerifier: Address;
    paymentToken: Address;
  };
  /** True when `paymentToken` is the open-mint TestPaymentToken this deployment created. */
  paymentTokenIsTestToken: boolean;
  /** `deployed`: the first block of the deployment (log scans start there); then each contract's. */
  blocks: { deployed: number } & Partial<Record<keyof DeploymentRecord["contracts"], number>>;
  deployer: Address;
  attestationSigner: Address;
  tcbLifetime?: number;
  processingTimeout?: number;
  blockedTimeout?: number;
}

/** What {@link deployMarketplace} did. */
export interface DeployOutcome {
  record: DeploymentRecord;
  /** The Ignition journal's directory (undefined when it was a throwaway one, removed afterwards). */
  journalDir: string | undefined;
  /** Whether Ignition found an earlier run in the journal and continued it. */
  resumed: boolean;
  /** Transactions sent by this run (0 when everything was already deployed). */
  transactionsSent: number;
}

const CONTRACT_FUTURES = {
  orders: "Orders",
  offerRegistry: "OfferRegistry",
  tcbRegistry: "TcbRegistry",
  attestationVerifier: "Eip712AttestationVerifier",
  paymentToken: "TestPaymentToken",
} as const;

/** A successful transaction of a deployment, as Ignition lists it, with the block it was mined in. */
interface DeployedTransaction {
  /** The contract deployed or called (`Orders`, `TcbRegistry#setAttestationVerifier`, ...). */
  name: string;
  /** The contract it deployed, if it deployed one. */
  address?: string;
  blockNumber: number;
}

/**
 * The successful transactions Ignition's journal records for a deployment (its own `listTransactions`
 * reads the journal), with their blocks from the chain; none when the journal is empty or missing.
 */
async function deployedTransactions(
  provider: NetworkConnection["provider"],
  journalDir: string,
): Promise<DeployedTransaction[]> {
  if (!existsSync(path.join(journalDir, "journal.jsonl"))) return [];
  const listed = await listTransactions(journalDir, new HardhatArtifactResolver(artifacts));
  const succeeded = listed.filter((tx) => tx.status === TransactionStatus.SUCCESS);
  const receipts = await Promise.all(
    succeeded.map(
      (tx) =>
        provider.request({ method: "eth_getTransactionReceipt", params: [tx.txHash] }) as Promise<{
          blockNumber: string;
        } | null>,
    ),
  );
  return succeeded.flatMap((tx, i) => {
    const receipt = receipts[i];
    if (receipt === null || receipt === undefined) return [];
    return [
      {
        name: tx.name ?? "",
        ...(tx.address === undefined ? {} : { address: tx.address }),
        blockNumber: Number(BigInt(receipt.blockNumber)),
      },
    ];
  });
}

/**
 * What to run to verify the deployment's sources on the block explorers: Hardhat Ignition's own
 * `ignition verify`, which reads the journal (contracts, constructor arguments, build info).
 */
export function verifyCommand(journalDir: string, networkName: string): string {
  const deploymentsDir = path.join(config.paths.ignition, "deployments");
  const id = path.basename(journalDir);
  return path.dirname(path.resolve(journalDir)) === path.resolve(deploymentsDir)
    ? `npx hardhat ignition verify ${id} --network ${networkName}`
    : `copy ${displayPath(journalDir)} to ${displayPath(path.join(deploymentsDir, id))}, then: ` +
        `npx hardhat ignition verify ${id} --network ${networkName}`;
}

/**
 * What to run to verify the offer registry's sources: Orders created it in its constructor, so no
 * journal entry names it; its constructor arguments are the deployer (the TCB admin), the verifier
 * and the TCB lifetime.
 */
export function registryVerifyCommand(record: DeploymentRecord, networkName: string): string {
  const lifetime = record.tcbLifetime ?? DEFAULT_TCB_LIFETIME;
  return (
    `npx hardhat verify etherscan --network ${networkName} ${record.contracts.offerRegistry} ` +
    `${record.deployer} ${record.contracts.attestationVerifier} ${lifetime}`
  );
}

/** The contracts a journal says it deployed (Ignition's `status`); none without a journal. */
async function listRecordedAddresses(journalDir: string): Promise<string[]> {
  if (!existsSync(path.join(journalDir, "journal.jsonl"))) return [];
  const { contracts } = await status(journalDir);
  return Object.values(contracts).map((contract) => contract.address);
}

/** Ignition's events as progress lines. */
function progressListener(log: (line: string) => void, counters: { sent: number; resumed: boolean }) {
  const handlers: Partial<ExecutionEventListener> = {
    deploymentStart: async (event) => {
      counters.resumed = event.isResumed;
      log(event.isResumed ? `  resuming the deployment recorded in its journal` : `  new deployment`);
    },
    reconciliationWarnings: async (event) => {
      for (const warning of event.warnings) log(`  warning: ${warning}`);
    },
    batchInitialize: async (event) => {
      const futures = event.batches.flat().length;
      log(
        futures === 0
          ? `  nothing left to do: every step is already in the journal`
          : `  ${futures} step(s) to execute in ${event.batches.length} batch(es)`,
      );
    },
    deploymentExecutionStateInitialize: async (event) => log(`  deploying ${event.futureId}`),
    callExecutionStateInitialize: async (event) => log(`  calling ${event.futureId}`),
    transactionSend: async (event) => {
      counters.sent += 1;
      log(`    sent ${event.hash}`);
    },
    transactionConfirm: async (event) => log(`    confirmed ${event.hash}`),
    deploymentExecutionStateComplete: async (event) => {
      if (event.result.type === ExecutionEventResultType.SUCCESS) {
        log(`    ${event.futureId} at ${event.result.result ?? "?"}`);
      } else if (event.result.type === ExecutionEventResultType.ERROR) {
        log(`    ${event.futureId} failed: ${event.result.error}`);
      }
    },
    onchainInteractionBumpFees: async (event) => log(`    bumping the fees of ${event.futureId}`),
    onchainInteractionDropped: async (event) => log(`    the transaction of ${event.futureId} was dropped`),
    onchainInteractionTimeout: async (event) => log(`    the transaction of ${event.futureId} timed out`),
  };
  const noop = async () => {};
  return new Proxy(handlers, {
    get: (target, name) => target[name as keyof ExecutionEventListener] ?? noop,
  }) as ExecutionEventListener;
}

/**
 * Deploys (or resumes deploying) the marketplace with Ignition on `connection` and returns the
 * deployment record. Nothing is written besides Ignition's journal directory.
 *
 * @param connection A Hardhat network connection (`await network.create()`).
 * @param options `moduleId` and `parameters` (from {@link resolveDeployParameters}, or built by the
 * caller); `journalDir`: Ignition's deployment directory (default
 * `ignition/deployments/chain-<chainId>`); `ephemeral`: use a throwaway journal removed afterwards
 * (the in-process network, the demo); `log`: progress lines.
 * @throws {DeployConfigError} for the test token on mainnet, a deployer without funds, or a journal
 * whose contracts are missing on a non-local chain.
 */
export async function deployMarketplace(
  connection: NetworkConnection,
  options: {
    moduleId: ModuleId;
    parameters: ParameterSection;
    journalDir?: string | undefined;
    ephemeral?: boolean;
    log?: (line: string) => void;
  },
): Promise<DeployOutcome> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { provider, networkName } = connection;
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  const useTestToken = options.moduleId === TestMarketplaceModule.id;
  if (useTestToken && chainId === MAINNET_CHAIN_ID) {
    throw new DeployConfigError(
      `Refusing to deploy TestMarketplace (the open-mint TestPaymentToken) on opBNB mainnet (chain ${chainId}).`,
    );
  }
  let accounts: string[];
  try {
    accounts = (await provider.request({ method: "eth_accounts" })) as string[];
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes("DEPLOYER_PRIVATE_KEY")) {
      throw new DeployConfigError(
        `${networkName} needs the deployer's key: npx hardhat keystore set DEPLOYER_PRIVATE_KEY ` +
          `(or the DEPLOYER_PRIVATE_KEY environment variable). ${message}`,
      );
    }
    throw error;
  }
  const deployer = accounts[0];
  if (deployer === undefined) throw new DeployConfigError(`${networkName} has no account to deploy from.`);
  const balance = BigInt(
    (await provider.request({ method: "eth_getBalance", params: [deployer, "latest"] })) as string,
  );
  if (balance === 0n) {
    throw new DeployConfigError(
      `The deployer ${getAddress(deployer)} has no funds on ${networkName} (chain ${chainId}); fund it first ` +
        `(opBNB testnet: tBNB from the BNB Chain faucet, bridged to opBNB).`,
    );
  }

  const ephemeral = options.ephemeral === true;
  const journalDir = ephemeral
    ? await mkdtemp(path.join(tmpdir(), "tee-marketplace-ignition-"))
    : path.resolve(options.journalDir ?? path.join(config.paths.ignition, "deployments", `chain-${chainId}`));
  try {
    // A local node restarted from scratch leaves the journal pointing at contracts that no longer
    // exist: start that deployment over. On any other chain that is an error to look at.
    const recorded = (await listRecordedAddresses(journalDir))[0];
    if (recorded !== undefined) {
      const code = await provider.request({ method: "eth_getCode", params: [recorded, "latest"] });
      if (code === "0x") {
        if (!LOCAL_CHAIN_IDS.has(chainId)) {
          throw new DeployConfigError(
            `${displayPath(journalDir)} records ${recorded}, which has no code on chain ${chainId}. ` +
              `Is this the right network? Move the directory away to deploy anew.`,
          );
        }
        log(`The local chain was reset: starting over (removing ${displayPath(journalDir)}).`);
        await rm(journalDir, { recursive: true, force: true });
      }
    }

    const blockBefore = Number(BigInt((await provider.request({ method: "eth_blockNumber" })) as string));
    log(
      `Deploying ${options.moduleId} (module version ${MODULE_VERSION}) to ${networkName} (chain ${chainId}) ` +
        `from ${getAddress(deployer)}, balance ${formatEther(balance)}`,
    );
    log(ephemeral ? `  journal: none kept (throwaway deployment)` : `  journal: ${displayPath(journalDir)}`);
    const counters = { sent: 0, resumed: false };
    const ignitionModule = useTestToken ? TestMarketplaceModule : MarketplaceModule;
    const networkIgnition = connection.networkConfig.ignition;
    const result = await deploy({
      config: config.ignition,
      provider,
      executionEventListener: progressListener(log, counters),
      artifactResolver: new HardhatArtifactResolver(artifacts),
      deploymentDir: journalDir,
      ignitionModule,
      deploymentParameters: { [options.moduleId]: options.parameters },
      accounts,
      maxFeePerGasLimit: networkIgnition.maxFeePerGasLimit,
      maxFeePerGas: networkIgnition.maxFeePerGas,
      maxPriorityFeePerGas: networkIgnition.maxPriorityFeePerGas,
      gasPrice: networkIgnition.gasPrice,
      disableFeeBumping: config.ignition.disableFeeBumping ?? networkIgnition.disableFeeBumping,
    } as Parameters<typeof deploy>[0]);
    if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
      throw new Error(
        `Ignition could not deploy ${options.moduleId}:\n${errorDeploymentResultToExceptionMessage(result)}`,
      );
    }

    const addressOf = (name: string): Address => {
      const deployed = result.contracts[`${options.moduleId}#${name}`];
      if (deployed === undefined) throw new Error(`Ignition's result has no ${options.moduleId}#${name}`);
      return getAddress(deployed.address);
    };
    const contracts = {
      orders: addressOf(CONTRACT_FUTURES.orders),
      offerRegistry: addressOf(CONTRACT_FUTURES.offerRegistry),
      tcbRegistry: addressOf(CONTRACT_FUTURES.tcbRegistry),
      attestationVerifier: addressOf(CONTRACT_FUTURES.attestationVerifier),
      paymentToken: useTestToken
        ? addressOf(CONTRACT_FUTURES.paymentToken)
        : checkAddress(options.parameters.paymentToken, "paymentToken"),
    };
    const transactions = await deployedTransactions(provider, journalDir);
    const blocks: DeploymentRecord["blocks"] = {
      deployed:
        transactions.length > 0 ? Math.min(...transactions.map((t) => t.blockNumber)) : blockBefore + 1,
    };
    for (const [key, name] of Object.entries(CONTRACT_FUTURES)) {
      const deployed = transactions.find((t) => t.name === name && t.address !== undefined);
      if (deployed !== undefined) blocks[key as keyof DeploymentRecord["contracts"]] = deployed.blockNumber;
    }
    // The Orders contract's deployment created the offer registry, which is the TCB registry too.
    if (blocks.orders !== undefined) blocks.offerRegistry = blocks.tcbRegistry = blocks.orders;
    const record: DeploymentRecord = {
      network: networkName,
      chainId,
      moduleId: options.moduleId,
      moduleVersion: MODULE_VERSION,
      contracts,
      paymentTokenIsTestToken: useTestToken,
      blocks,
      deployer: getAddress(deployer),
      attestationSigner: checkAddress(options.parameters.attestationSigner, "attestationSigner"),
      ...(typeof options.parameters.tcbLifetime === "number"
        ? { tcbLifetime: options.parameters.tcbLifetime }
        : {}),
      ...(typeof options.parameters.processingTimeout === "number"
        ? { processingTimeout: options.parameters.processingTimeout }
        : {}),
      ...(typeof options.parameters.blockedTimeout === "number"
        ? { blockedTimeout: options.parameters.blockedTimeout }
        : {}),
    };
    log(
      counters.resumed
        ? `  resumed: ${counters.sent} transaction(s) sent now${counters.sent === 0 ? ", nothing redeployed" : ""}`
        : `  done: ${counters.sent} transaction(s) sent`,
    );
    return {
      record,
      journalDir: ephemeral ? undefined : journalDir,
      resumed: counters.resumed,
      transactionsSent: counters.sent,
    };
  } finally {
    if (ephemeral) await rm(journalDir, { recursive: true, force: true });
  }
}
