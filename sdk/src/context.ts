/**
 * What every action takes first: the viem clients and the deployment they act on. Build it with
 * {@link createMarketplaceContext}; {@link createMarketplaceClient} does, and binds the actions to it.
 */
import type { Account, Chain, Client, Transport } from "viem";

import { type Deployment, parseDeployment } from "./deployment.js";
import { InputError } from "./errors.js";
import { toUint } from "./validate.js";

/** A viem client that reads: a `PublicClient`, or any client with a transport. */
export type ReadClient = Client<Transport, Chain | undefined>;

/** A viem client that signs and sends: a `WalletClient` with an `account`. */
export type SignClient = Client<Transport, Chain | undefined, Account | undefined>;

/** The context of every action. Plain data: no caches, nothing shared between contexts. */
export interface MarketplaceContext {
  /** Reads, simulations, receipts and logs go through it. */
  readonly publicClient: ReadClient;
  /** Signs and sends writes; reads work without it. */
  readonly walletClient?: SignClient | undefined;
  /** The contracts acted on. */
  readonly deployment: Deployment;
  /** Largest block range of one `eth_getLogs` request (RPCs such as opBNB's cap it). */
  readonly logBlockRange: bigint;
}

/** What {@link createMarketplaceContext} and `createMarketplaceClient` take. */
export interface MarketplaceContextParameters {
  /**
   * A viem public client for the deployment's chain. Create it with `http(url, { batch: true })`:
   * reads that need several calls send them together, and JSON-RPC batching puts them in one HTTP
   * round trip (`orders.get` is one call; `reports.verify` at most three round trips with batching).
   */
  publicClient: ReadClient;
  /** A viem wallet client with an account; needed for writes only. */
  walletClient?: SignClient | undefined;
  /** The deployment: a {@link Deployment} or the content of `deployments/<network>.json`. */
  deployment: Deployment | unknown;
  /** Largest block range of one `eth_getLogs` request; default 5000. */
  logBlockRange?: bigint | number;
}

/**
 * Checks the parameters and builds a {@link MarketplaceContext}, without any RPC.
 *
 * @param params The clients, the deployment and the log range.
 * @example
 * const ctx = createMarketplaceContext({ publicClient, deployment: await readDeployment("opbnbTestnet") });
 * const { order, suborders } = await getWorkflow(ctx, { orderId: 7n });
 * @throws {InputError} naming `deployment` (or its field) when it is malformed, `publicClient` or
 * `walletClient` when the client's chain is not the deployment's, `walletClient` when it has no
 * account, `logBlockRange` when it is not a positive integer.
 */
export function createMarketplaceContext(params: MarketplaceContextParameters): MarketplaceContext {
  const deployment = parseDeployment(params.deployment);
  const logBlockRange = toUint(params.logBlockRange ?? 5000n, "logBlockRange", {
    min: 1n,
    expected: "a positive number of blocks",
  });
  if (typeof params.publicClient?.request !== "function") {
    throw new InputError(
      "publicClient",
      "expected a viem client (createPublicClient({ transport: http(url) }))",
    );
  }
  checkChain(params.publicClient, deployment, "publicClient");
  if (params.walletClient !== undefined) {
    if (typeof params.walletClient.request !== "function") {
      throw new InputError(
        "walletClient",
        "expected a viem wallet client (createWalletClient({ account, transport }))",
      );
    }
    if (params.walletClient.account === undefined) {
      throw new InputError(
        "walletClient",
        "has no account: create it with createWalletClient({ account, transport }) so the SDK knows who sends",
      );
    }
    checkChain(params.walletClient, deployment, "walletClient");
  }
  return { publicClient: params.publicClient, walletClient: params.walletClient, deployment, logBlockRange };
}

function checkChain(client: ReadClient, deployment: Deployment, field: string): void {
  const chainId = client.chain?.id;
  if (chainId !== undefined && chainId !== deployment.chainId) {
    throw new InputError(
      field,
      `is for chain ${chainId}, the deployment is on chain ${deployment.chainId}; use a client and a deployment of the same chain`,
    );
  }
}
