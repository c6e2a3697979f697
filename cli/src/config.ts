/**
 * Where the CLI acts: the network, its RPC and the deployment, from flags, else a config file
 * (`--config <file>`, or `./tee-market.json` when present), else defaults (`deployments/<network>.json`
 * in the working directory, the network's public RPC). And the viem clients built from them.
 */
import { existsSync } from "node:fs";
import path from "node:path";

import {
  type Address,
  type Chain,
  type Hex,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  type LocalAccount,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getChainId } from "viem/actions";

import {
  type Deployment,
  InputError,
  type MarketplaceClient,
  createMarketplaceClient,
} from "@tee-marketplace/sdk";
import { readDeployment } from "@tee-marketplace/sdk/node";
import type { TokenInfo } from "./amounts.js";
import { CONFIG_FILE, type Flags, loadConfig } from "./configFile.js";
import { type IndexerClient, connectIndexer } from "./indexer.js";
import { DEFAULT_NETWORK, NETWORKS } from "./networks.js";
import { resolvePrivateKey } from "./keys.js";
import { type Io, type Output, UsageError } from "./output.js";

/** Everything resolved. */
export interface Settings {
  /** The network's name, or `chain-<id>` for a deployment on another chain. */
  network: string;
  chain: Chain;
  rpcUrl: string;
  pollingInterval: number;
  deployment: Deployment;
  /** Where the deployment was read from. */
  deploymentFile: string;
  /** The keystore named by `--keystore`. */
  keystore: string | undefined;
  /** The keystore named by the config file (used when neither `--keystore` nor the key variable is set). */
  configKeystore: string | undefined;
  /** The indexer named by `--indexer` or the config file, if any. */
  indexerUrl: string | undefined;
}

/** A connected client and what the commands need besides it. */
export interface Connection {
  client: MarketplaceClient;
  settings: Settings;
  /** The payment token's decimals and symbol (read once, on first use). */
  token(): Promise<TokenInfo>;
  /** The indexer's client when one is named, checked to index this deployment (once, on first use). */
  indexer(): Promise<IndexerClient | undefined>;
}

function flagValue(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Resolves network, RPC, deployment and keystore: flags first, then the config file, then the
 * defaults.
 */
export async function resolveSettings(io: Io, flags: Flags): Promise<Settings> {
  const { config } = await loadConfig(io, flags);
  const networkName = flagValue(flags, "network") ?? config.network;
  if (networkName !== undefined && NETWORKS[networkName] === undefined) {
    throw new UsageError(
      `unknown network "${networkName}": use ${Object.keys(NETWORKS).join(", ")}, ` +
        `or --deployment <file> with --rpc-url <url> for another chain`,
    );
  }
  const deploymentFlag = flagValue(flags, "deployment");
  const deploymentPath =
    deploymentFlag !== undefined ? path.resolve(io.cwd, deploymentFlag) : config.deployment;
  let deployment: Deployment;
  let deploymentFile: string;
  try {
    if (deploymentPath !== undefined) {
      deployment = await readDeployment(deploymentPath);
      deploymentFile = deploymentPath;
    } else {
      const name = networkName ?? DEFAULT_NETWORK;
      deploymentFile = path.join(io.cwd, "deployments", `${name}.json`);
      if (!existsSync(deploymentFile)) {
        throw new UsageError(
          `no deployment of ${name}: ${deploymentFile} does not exist; pass --deployment <file>, set "deployment" ` +
            `in ${CONFIG_FILE}, or run where deployments/ is (npx hardhat run scripts/deploy.ts --network ${name} writes it)`,
        );
      }
      deployment = await readDeployment(deploymentFile);
    }
  } catch (error) {
    if (error instanceof InputError && error.field === "fileOrNetwork") {
      throw new UsageError(`deployment file: ${error.detail}`);
    }
    throw error;
  }

  const presetName =
    networkName ?? Object.keys(NETWORKS).find((name) => NETWORKS[name]?.chain.id === deployment.chainId);
  const preset = presetName === undefined ? undefined : NETWORKS[presetName];
  if (preset !== undefined && preset.chain.id !== deployment.chainId) {
    throw new UsageError(
      `the deployment ${deploymentFile} is on chain ${deployment.chainId}, network ${presetName} is chain ` +
        `${preset.chain.id}: pass the deployment of that network, or the network of that deployment`,
    );
  }
  const rpcUrl = flagValue(flags, "rpc-url") ?? config.rpcUrl ?? preset?.rpcUrl;
  if (rpcUrl === undefined) {
    throw new UsageError(
      `the deployment is on chain ${deployment.chainId}, which is not a known network: pass --rpc-url <url>`,
    );
  }
  const keystoreFlag = flagValue(flags, "keystore");
  return {
    network: presetName ?? `chain-${deployment.chainId}`,
    chain:
      preset?.chain ??
      defineChain({
        id: deployment.chainId,
        name: `chain ${deployment.chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [rpcUrl] } },
      }),
    rpcUrl,
    pollingInterval: preset?.pollingInterval ?? 1000,
    deployment,
    deploymentFile,
    keystore: keystoreFlag === undefined ? undefined : path.resolve(io.cwd, keystoreFlag),
    configKeystore: config.keystore,
    indexerUrl: flagValue(flags, "indexer") ?? config.indexer,
  };
}

/** viem's http transport, batching, telling `out` the hash of every transaction it sends. */
function watchedTransport(url: string, out: Output) {
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body === "string" && init.body.includes("eth_sendRawTransaction")) {
      try {
        const body = JSON.parse(init.body) as unknown;
        for (const request of Array.isArray(body) ? body : [body]) {
          const { method, params } = request as { method?: string; params?: unknown[] };
          if (method === "eth_sendRawTransaction" && typeof params?.[0] === "string") {
            out.transactionSent(keccak256(params[0] as Hex));
          }
        }
      } catch {
        // Only progress output depends on it.
      }
    }
    return fetch(input, init);
  };
  return http(url, { batch: true, fetchFn });
}

/**
 * Connects: builds the clients, and checks that the RPC serves the deployment's chain (one
 * request), so a wrong `--rpc-url` is found before anything is read or sent.
 *
 * @param signer Whether the command signs: then the key is resolved too.
 */
export async function connect(
  io: Io,
  out: Output,
  settings: Settings,
  signer: boolean,
): Promise<Connection & { account?: Address; signer?: LocalAccount }> {
  const privateKey = signer
    ? await resolvePrivateKey(io, settings.keystore, settings.configKeystore)
    : undefined;
  const transport = watchedTransport(settings.rpcUrl, out);
  const { chain, pollingInterval } = settings;
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const rpcChainId = await getChainId(publicClient);
  if (rpcChainId !== settings.deployment.chainId) {
    throw new UsageError(
      `the RPC at ${settings.rpcUrl} serves chain ${rpcChainId}, the deployment ${settings.deploymentFile} is on ` +
        `chain ${settings.deployment.chainId}: check --rpc-url and --network`,
    );
  }
  const account = privateKey === undefined ? undefined : privateKeyToAccount(privateKey);
  const walletClient =
    account === undefined ? undefined : createWalletClient({ account, chain, transport, pollingInterval });
  const client = createMarketplaceClient({ publicClient, walletClient, deployment: settings.deployment });
  let token: Promise<TokenInfo> | undefined;
  let indexer: Promise<IndexerClient | undefined> | undefined;
  return {
    client,
    settings,
    ...(account === undefined ? {} : { account: account.address, signer: account }),
    token: () =>
      (token ??= client.payments
        .token()
        .then(({ address, decimals, symbol }) => ({ address, decimals, symbol: symbol ?? "tokens" }))),
    indexer: () => (indexer ??= connectIndexer(settings)),
  };
}
