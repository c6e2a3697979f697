/**
 * `npm run deploy -- --network opbnbTestnet` end to end, against a stand-in for opBNB testnet: a
 * Hardhat node on 127.0.0.1 with chain id 5611, reached through the `opbnbTestnet` network with
 * OPBNB_TESTNET_RPC_URL and DEPLOYER_PRIVATE_KEY from the environment (a fresh key, funded here;
 * nothing is written to disk but the temporary directory). Then a workflow through the SDK on that
 * deployment, then a second deploy that must resume from Ignition's journal.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Address, createPublicClient, createWalletClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  getBlockNumber,
  getBytecode,
  getTransactionCount,
  sendTransaction,
  waitForTransactionReceipt,
} from "viem/actions";

import { OrderStatus, RuntimeType } from "../../src/index.js";
import { readDeployment } from "../../src/node/index.js";
import { localAttestation } from "../../../mocks/localAttestation.js";
import { type LocalNode, runHardhat, spawnHardhat, startHardhatNode } from "../support/hardhatNode.js";
import {
  type Marketplace,
  completeDone,
  marketplaceOn,
  placeWorkflow,
  setUpProviders,
} from "../support/marketplace.js";

const DEPLOY = ["run", "scripts/deploy.ts", "--network", "opbnbTestnet"];
/** 3 contracts (test token, verifier, Orders, which creates the offer registry) and 1 call (setSigner). */
const DEPLOYMENT_TRANSACTIONS = 4;

describe("integration: npm run deploy to opBNB testnet (chain 5611 stand-in)", function () {
  this.timeout(180_000);

  let node: LocalNode | undefined;
  let dir: string;
  let env: Record<string, string>;
  let market: Marketplace;
  let firstFile: string;
  const deployerKey = generatePrivateKey();
  const deployer = privateKeyToAccount(deployerKey);
  const attestation = localAttestation();

  const publicClient = () => createPublicClient({ transport: http(node!.url) });
  const chainState = async () => ({
    nonce: await getTransactionCount(publicClient(), { address: deployer.address }),
    block: await getBlockNumber(publicClient(), { cacheTime: 0 }),
  });

  before(async function () {
    this.timeout(120_000);
    node = await startHardhatNode({ chainId: 5611 });
    dir = await mkdtemp(path.join(tmpdir(), "tee-marketplace-deploy-test-"));
    await writeFile(
      path.join(dir, "parameters.json"),
      JSON.stringify({ $global: { attestationSigner: attestation.signer, tcbLifetime: 86400 } }),
    );
    // The deployer is a fresh key, known only to this process and the deploy script's environment.
    const funder = createWalletClient({ transport: http(node.url) });
    const [nodeAccount] = await funder.getAddresses();
    const hash = await sendTransaction(funder, {
      account: nodeAccount!,
      chain: null,
      to: deployer.address,
      value: parseEther("100"),
    });
    await waitForTransactionReceipt(publicClient(), { hash, pollingInterval: 50 });
    env = {
      OPBNB_TESTNET_RPC_URL: node.url,
      DEPLOYER_PRIVATE_KEY: deployerKey,
      DEPLOY_PARAMETERS: path.join(dir, "parameters.json"),
      DEPLOYMENT_FILE: path.join(dir, "opbnbTestnet.json"),
      IGNITION_DEPLOYMENT_DIR: path.join(dir, "ignition", "chain-5611"),
    };
  });

  after(async function () {
    await attestation.close();
    await node?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("stops before sending anything when the attestation signer is not filled in, naming the file and field", async function () {
    const file = path.join(dir, "unfilled.json");
    await writeFile(file, JSON.stringify({ $global: { attestationSigner: "" } }));
    const before = await chainState();
    const { code, output } = await spawnHardhat(DEPLOY, { ...env, DEPLOY_PARAMETERS: file });
    expect(code, "exit code").to.equal(1);
    expect(output, "message").to.include(
      `No attestation signer for opbnbTestnet: fill "$global.attestationSigner" in ${file}`,
    );
    expect(await chainState(), "deployer nonce and block height").to.deep.equal(before);
  });

  it("refuses the open-mint test token on opBNB mainnet before any RPC", async function () {
    const { code, output } = await spawnHardhat(["run", "scripts/deploy.ts", "--network", "opbnb"], {
      ...env,
      OPBNB_RPC_URL: "http://127.0.0.1:9",
    });
    expect(code, "exit code").to.equal(1);
    expect(output, "message").to.include("mainnet never gets the open-mint TestPaymentToken");
    expect(output, "message").to.include(`Fill "Marketplace.paymentToken" in ${env.DEPLOY_PARAMETERS}`);
  });

  it("deploys TestMarketplace to chain 5611 from DEPLOYER_PRIVATE_KEY and writes the file the SDK reads", async function () {
    const output = await runHardhat(DEPLOY, env);
    expect(output, "progress").to.include("new deployment");
    expect(output, "progress").to.include(`done: ${DEPLOYMENT_TRANSACTIONS} transaction(s) sent`);
    firstFile = await readFile(env.DEPLOYMENT_FILE!, "utf8");
    const record = JSON.parse(firstFile) as Record<string, unknown> & {
      contracts: Record<string, Address>;
      blocks: Record<string, number>;
    };
    expect(record.network, "network").to.equal("opbnbTestnet");
    expect(record.chainId, "chain id").to.equal(5611);
    expect(record.moduleId, "module").to.equal("TestMarketplace");
    expect(record.moduleVersion, "module version").to.equal("3");
    expect(record.contracts.tcbRegistry, "the offer registry holds the TCBs").to.equal(
      record.contracts.offerRegistry,
    );
    expect(record.paymentTokenIsTestToken, "test token").to.equal(true);
    expect(record.deployer, "deployer (from DEPLOYER_PRIVATE_KEY)").to.equal(deployer.address);
    expect(record.attestationSigner, "attestation signer").to.equal(attestation.signer);
    expect(record.tcbLifetime, "TCB lifetime").to.equal(86400);
    expect(output, "the registry's verification, with its constructor arguments").to.include(
      `npx hardhat verify etherscan --network opbnbTestnet ${record.contracts.offerRegistry} ` +
        `${deployer.address} ${record.contracts.attestationVerifier} 86400`,
    );
    for (const [name, address] of Object.entries(record.contracts)) {
      expect(await getBytecode(publicClient(), { address }), `code at ${name}`).to.not.equal(undefined);
      expect(record.blocks[name], `deployment block of ${name}`).to.be.at.least(record.blocks.deployed!);
    }
    const deployment = await readDeployment(env.DEPLOYMENT_FILE!);
    expect(deployment.chainId, "SDK: chain id").to.equal(5611);
    expect(deployment.contracts, "SDK: contracts").to.deep.equal(record.contracts);
    expect(deployment.blocks.deployed, "SDK: deployment block").to.equal(BigInt(record.blocks.deployed!));
    expect((await chainState()).nonce, "deployer's transactions").to.equal(DEPLOYMENT_TRANSACTIONS);
    expect(existsSync(path.join(env.IGNITION_DEPLOYMENT_DIR!, "journal.jsonl")), "Ignition journal").to.equal(
      true,
    );
  });

  it("carries a workflow through the SDK on that deployment", async function () {
    const deployment = await readDeployment(env.DEPLOYMENT_FILE!);
    await attestation.start(deployment);
    market = await marketplaceOn({ node: node!, deployment, attestation, admin: deployer });
    const listing = await setUpProviders(market);
    const { orderId, suborderIds, status } = await placeWorkflow(market, listing);
    expect(status, "parent status").to.equal(OrderStatus.Blocked);
    const completed = await market.as(market.cast.bobAction).suborders.complete({
      suborderId: suborderIds[0]!,
      status: "Done",
      solutionHash: listing.solution,
      resourceFile: listing.dataset,
    });
    expect(completed.parentStatus, "parent after Bob").to.equal(OrderStatus.New);
    const tee = market.as(market.tee.account);
    await tee.orders.start({ orderId });
    await tee.reports.publish({
      orderId,
      signer: market.tee.privateKey,
      runtimeInfo: [
        { runtimeType: RuntimeType.Image, size: 32n, hash: listing.solution.hash },
        { runtimeType: RuntimeType.Data, size: 46n, hash: listing.dataset.hash },
      ],
    });
    await completeDone(market, orderId);
    const { order } = await market.reader.orders.get({ orderId });
    expect(order.status, "order status").to.equal(OrderStatus.Done);
    const verification = await market.reader.reports.verify(orderId, { solutionHash: listing.solution });
    expect(
      verification.checks.filter((c) => !c.ok),
      "failed report checks",
    ).to.deep.equal([]);
  });

  it("a second deploy resumes from the journal: same file, no transaction, no new contract", async function () {
    const before = await chainState();
    const output = await runHardhat(DEPLOY, env);
    expect(output, "progress").to.include("resuming the deployment recorded in its journal");
    expect(output, "progress").to.include("nothing left to do");
    expect(output, "progress").to.include("resumed: 0 transaction(s) sent now, nothing redeployed");
    expect(await readFile(env.DEPLOYMENT_FILE!, "utf8"), "deployment file").to.equal(firstFile);
    expect(await chainState(), "deployer nonce and block height").to.deep.equal(before);
  });

  it("npm run demo -- --network opbnbTestnet plays the story on the same chain, funding its actors from the deployer", async function () {
    const { code, output } = await spawnHardhat(["run", "scripts/demo.ts", "--network", "opbnbTestnet"], {
      OPBNB_TESTNET_RPC_URL: env.OPBNB_TESTNET_RPC_URL!,
      DEPLOYER_PRIVATE_KEY: deployerKey,
    });
    expect(code, `exit code; transcript:\n${output}`).to.equal(0);
    expect(output, "network line").to.include("network: opbnbTestnet (JSON-RPC), chain 5611");
    expect(output, "funded by").to.include(`of gas each from ${deployer.address}`);
    expect(output, "result").to.include("Every check held");
  });
});
