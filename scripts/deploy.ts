/**
 * Deploys the marketplace with its Ignition module and writes deployments/<network>.json, the file
 * the SDK reads (`readDeployment("<network>")`).
 *
 * Usage: npm run deploy -- --network <name>   (= npx hardhat run scripts/deploy.ts --network <name>)
 *
 * Which module (scripts/lib/deploy.ts):
 * - `Marketplace` (an existing ERC-20) when the parameters give a `paymentToken`;
 * - otherwise `TestMarketplace` (deploys the open-mint TestPaymentToken), refused on opBNB mainnet.
 *
 * Parameters: ignition/parameters/<network>.json in Ignition's format
 * (`{ "$global": {...}, "Marketplace": {...}, "TestMarketplace": {...} }`). `attestationSigner` is
 * required; an empty or missing one stops the script with the file and field to fill.
 *
 * Re-running resumes: Ignition's journal (ignition/deployments/chain-<chainId>/) records every
 * transaction, so a second run sends only what is missing (nothing, once complete) and rewrites
 * the same deployments/<network>.json. On the in-process network nothing is kept: it is a dry run.
 *
 * Environment (all optional): DEPLOY_PARAMETERS (another parameters file), ATTESTATION_SIGNER
 * (overrides the file's), DEPLOYMENT_FILE (where to write instead of deployments/<network>.json),
 * IGNITION_DEPLOYMENT_DIR (the journal's directory instead of ignition/deployments/chain-<chainId>).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import {
  DeployConfigError,
  deployMarketplace,
  displayPath,
  repoRoot,
  registryVerifyCommand,
  resolveDeployParameters,
  verifyCommand,
} from "./lib/deploy.js";

try {
  const connection = await network.create();
  const { networkName, networkConfig } = connection;
  const resolved = await resolveDeployParameters({
    networkName,
    chainId: networkConfig.chainId,
    parametersFile: process.env.DEPLOY_PARAMETERS,
    attestationSigner: process.env.ATTESTATION_SIGNER,
  });
  console.log(
    `Parameters: ${resolved.file ?? "none (ATTESTATION_SIGNER)"}; module ${resolved.moduleId}` +
      (resolved.paymentToken === undefined
        ? " (deploys the open-mint TestPaymentToken: test networks only)"
        : ` (payment token ${resolved.paymentToken})`),
  );
  const inProcess = networkConfig.type === "edr-simulated";
  const outcome = await deployMarketplace(connection, {
    moduleId: resolved.moduleId,
    parameters: resolved.parameters,
    journalDir: process.env.IGNITION_DEPLOYMENT_DIR,
    ephemeral: inProcess,
  });
  const json = JSON.stringify(outcome.record, null, 2) + "\n";
  const outputFile =
    process.env.DEPLOYMENT_FILE ??
    (inProcess ? undefined : path.join(repoRoot, "deployments", `${networkName}.json`));
  console.log(json.trimEnd());
  if (outputFile === undefined) {
    console.log(`In-process network: a dry run, nothing written (pass --network <name> to deploy for real).`);
  } else {
    await mkdir(path.dirname(outputFile), { recursive: true });
    await writeFile(outputFile, json);
    console.log(`Written to ${displayPath(outputFile)}`);
    if (outcome.journalDir !== undefined) {
      console.log(`Verify the sources on the block explorers (needs ETHERSCAN_API_KEY):`);
      console.log(`  ${verifyCommand(outcome.journalDir, networkName)}`);
      console.log(`  ${registryVerifyCommand(outcome.record, networkName)}`);
    }
  }
} catch (error) {
  if (error instanceof DeployConfigError) {
    console.error(`Deployment stopped: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
