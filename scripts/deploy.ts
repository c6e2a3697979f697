/**
 * Deploys the marketplace with its Ignition module and writes deployments/<network>.json, the file
 * the SDK reads (`readDeployment("<network>")`).
 *
 * Usage: npx hardhat run scripts/deploy.ts --network <name>
 *
 * Which module:
 * - `Marketplace` (an existing ERC-20) when the parameters give a `paymentToken`;
 * - otherwise `TestMarketplace` (deploys the open-mint TestPaymentToken), refused on opBNB mainnet.
 *
 * Parameters: ignition/parameters/<network>.json in Ignition's format
 * (`{ "$global": {...}, "Marketplace": {...}, "TestMarketplace": {...} }`), or the file named by
 * DEPLOY_PARAMETERS. `attestationSigner` is required (there, or in ATTESTATION_SIGNER); see
 * ignition/modules/Marketplace.ts for the others.
 *
 * Environment (all optional): DEPLOY_PARAMETERS (parameters file), ATTESTATION_SIGNER,
 * DEPLOYMENT_FILE (where to write instead of deployments/<network>.json), IGNITION_DEPLOYMENT_ID
 * (Ignition's deployment id, default chain-<chainId>).
 *
 * The deployment block written is the first block holding one of the deployment's transactions
 * (from Ignition's journal), so log scans miss nothing.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { DeploymentParameters, SolidityParameterType } from "@nomicfoundation/ignition-core";
import { network } from "hardhat";

import { MODULE_VERSION, MarketplaceModule, TestMarketplaceModule } from "../ignition/modules/Marketplace.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAINNET_CHAIN_ID = 204n;

type Parameters = Record<string, Record<string, SolidityParameterType>>;

const connection = await network.create();
const { ethers, ignition, networkName } = connection;
const { chainId } = await ethers.provider.getNetwork();
const [deployer] = await ethers.getSigners();

const parametersFile =
  process.env.DEPLOY_PARAMETERS ?? path.join(root, "ignition", "parameters", `${networkName}.json`);
const fileParameters: Parameters = existsSync(parametersFile)
  ? (JSON.parse(await readFile(parametersFile, "utf8")) as Parameters)
  : {};
const global = fileParameters.$global ?? {};
const paymentToken = fileParameters.Marketplace?.paymentToken ?? global.paymentToken;
const useTestToken = paymentToken === undefined;
if (useTestToken && chainId === MAINNET_CHAIN_ID) {
  throw new Error(
    `No paymentToken for ${networkName} (chain ${chainId}): mainnet never gets the open-mint TestPaymentToken. ` +
      `Set "paymentToken" in ${path.relative(root, parametersFile)} under "Marketplace" or "$global".`,
  );
}
const moduleId = useTestToken ? TestMarketplaceModule.id : MarketplaceModule.id;
const moduleParameters: Record<string, SolidityParameterType> = {
  ...global,
  ...(fileParameters[moduleId] ?? {}),
};
if (useTestToken) delete moduleParameters.paymentToken;
if (process.env.ATTESTATION_SIGNER !== undefined)
  moduleParameters.attestationSigner = process.env.ATTESTATION_SIGNER;
if (moduleParameters.attestationSigner === undefined) {
  throw new Error(
    `No attestationSigner for ${networkName}: set it in ${path.relative(root, parametersFile)} ` +
      `(under "${moduleId}" or "$global") or in the ATTESTATION_SIGNER environment variable.`,
  );
}

const deploymentId = process.env.IGNITION_DEPLOYMENT_ID;
const journalDir = path.join(root, "ignition", "deployments", deploymentId ?? `chain-${chainId}`);
const journal = path.join(journalDir, "journal.jsonl");

/** The journal's confirmed transactions: block numbers and created contracts. */
async function journalReceipts(): Promise<{ blockNumber: number; contractAddress?: string }[]> {
  if (!existsSync(journal)) return [];
  const receipts = [];
  for (const line of (await readFile(journal, "utf8")).split("\n")) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line) as {
      type?: string;
      receipt?: { blockNumber?: number | string; contractAddress?: string };
    };
    if (entry.type !== "TRANSACTION_CONFIRM" || entry.receipt?.blockNumber === undefined) continue;
    const { blockNumber, contractAddress } = entry.receipt;
    receipts.push({ blockNumber: Number(blockNumber), ...(contractAddress ? { contractAddress } : {}) });
  }
  return receipts;
}

// A local node restarted from scratch leaves Ignition's journal pointing at contracts that no longer
// exist; start that deployment over. On any other chain a journal without code is an error to look at.
const recorded = (await journalReceipts()).find((r) => r.contractAddress !== undefined)?.contractAddress;
if (recorded !== undefined && (await ethers.provider.getCode(recorded)) === "0x") {
  if (chainId !== 31337n && chainId !== 1337n) {
    throw new Error(
      `${path.relative(root, journal)} records ${recorded}, which has no code on chain ${chainId}.`,
    );
  }
  console.log(`The local chain was reset: starting over (removing ${path.relative(root, journalDir)}).`);
  await rm(journalDir, { recursive: true, force: true });
}

const blockBefore = await ethers.provider.getBlockNumber();
console.log(`Deploying ${moduleId} to ${networkName} (chain ${chainId}) from ${deployer.address}...`);
const options = {
  parameters: { [moduleId]: moduleParameters } as DeploymentParameters,
  ...(deploymentId === undefined ? {} : { deploymentId }),
  displayUi: process.stdout.isTTY === true,
};
let contracts;
let paymentTokenAddress: string;
if (useTestToken) {
  const deployed = await ignition.deploy(TestMarketplaceModule, options);
  paymentTokenAddress = await deployed.paymentToken.getAddress();
  contracts = deployed;
} else {
  contracts = await ignition.deploy(MarketplaceModule, options);
  paymentTokenAddress = String(paymentToken);
}

/** First block with a transaction of this deployment, from Ignition's journal (none on the in-process network). */
async function firstDeploymentBlock(): Promise<number> {
  const blocks = (await journalReceipts()).map((r) => r.blockNumber);
  return blocks.length > 0 ? Math.min(...blocks) : blockBefore + 1;
}

const deployment = {
  network: networkName,
  chainId: Number(chainId),
  moduleId,
  moduleVersion: MODULE_VERSION,
  contracts: {
    orders: await contracts.orders.getAddress(),
    offerRegistry: await contracts.offerRegistry.getAddress(),
    tcbRegistry: await contracts.tcbRegistry.getAddress(),
    attestationVerifier: await contracts.verifier.getAddress(),
    paymentToken: paymentTokenAddress,
  },
  paymentTokenIsTestToken: useTestToken,
  blocks: { deployed: await firstDeploymentBlock() },
  deployer: deployer.address,
  attestationSigner: moduleParameters.attestationSigner,
};

const outputFile = process.env.DEPLOYMENT_FILE ?? path.join(root, "deployments", `${networkName}.json`);
await mkdir(path.dirname(outputFile), { recursive: true });
await writeFile(outputFile, JSON.stringify(deployment, null, 2) + "\n");
console.log(JSON.stringify(deployment, null, 2));
console.log(`Written to ${path.relative(process.cwd(), outputFile)}`);
