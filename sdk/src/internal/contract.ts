/**
 * The one way actions talk to the contracts: typed reads, simulated writes, receipts with decoded
 * events, and log reads in bounded block ranges. Not exported from the package.
 */
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractEventArgs,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type GetContractEventsReturnType,
  type ParseEventLogsReturnType,
  type TransactionReceipt,
  defineChain,
  isAddressEqual,
  parseEventLogs,
} from "viem";
import {
  getChainId,
  getContractEvents,
  readContract,
  simulateContract,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";

import type { MarketplaceCall } from "../calls.js";
import { contractErrorFrom } from "../contractErrors.js";
import type { MarketplaceContext, SignClient } from "../context.js";
import { InputError, TransactionRevertedError } from "../errors.js";

type ReadMutability = "pure" | "view";
type WriteMutability = "nonpayable" | "payable";

/** A contract call: where, which ABI, which function, which arguments. */
export interface Call<abi extends Abi, functionName extends string, args> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args: args;
}

/** Reads a view function; a revert becomes a ContractError saying what was being read. */
export async function read<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, ReadMutability>,
  const args extends ContractFunctionArgs<abi, ReadMutability, functionName>,
>(
  ctx: MarketplaceContext,
  call: Call<abi, functionName, args>,
  action: string,
): Promise<ContractFunctionReturnType<abi, ReadMutability, functionName, args>> {
  try {
    // viem's parameter type is a deep conditional type; the generic call above is what checks it.
    const result: unknown = await readContract(ctx.publicClient, call as never);
    return result as ContractFunctionReturnType<abi, ReadMutability, functionName, args>;
  } catch (error) {
    throw contractErrorFrom(error, { action }) ?? error;
  }
}

/** The wallet client and its account, or an InputError telling the caller to pass one. */
export function requireWallet(
  ctx: MarketplaceContext,
  action: string,
): { client: SignClient; account: Account } {
  const client = ctx.walletClient;
  const account = client?.account;
  if (client === undefined || account === undefined) {
    throw new InputError(
      "walletClient",
      `${action}: this is a write, and the client has no wallet. Create the client with a walletClient ` +
        `that has an account (createMarketplaceClient({ publicClient, walletClient, deployment })); reads work without one`,
    );
  }
  return { client, account };
}

/** The account that will send writes, or undefined when the context has no wallet. */
export function walletAddress(ctx: MarketplaceContext): Address | undefined {
  return ctx.walletClient?.account?.address;
}

/**
 * Simulates a write (a revert becomes a ContractError before any gas is spent), sends exactly the
 * request the simulation returned, waits for the receipt and checks that it succeeded.
 */
export async function send<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, WriteMutability>,
>(
  ctx: MarketplaceContext,
  call: MarketplaceCall<abi, functionName>,
  action: string,
): Promise<TransactionReceipt> {
  const { client, account } = requireWallet(ctx, action);
  let request: unknown;
  let walletChainId: number | undefined;
  try {
    // The wallet's chain is read with the simulation (one round trip) for a JSON-RPC account; a
    // local account's transaction is prepared and signed with the chain id viem checks itself.
    [{ request }, walletChainId] = await Promise.all([
      simulateContract(ctx.publicClient, { ...call, account } as never),
      account.type === "json-rpc" ? getChainId(client) : Promise.resolve(undefined),
    ]);
  } catch (error) {
    throw contractErrorFrom(error, { action }) ?? error;
  }
  if (walletChainId !== undefined && walletChainId !== ctx.deployment.chainId) {
    throw new InputError(
      "walletClient",
      `${action}: the wallet is on chain ${walletChainId}, the deployment on chain ${ctx.deployment.chainId}; switch the wallet's network`,
    );
  }
  let hash;
  try {
    // The simulated request as is. A local account's chain lets viem check it before signing; a
    // JSON-RPC account's was checked above.
    hash = await writeContract(client, {
      ...(request as object),
      chain: account.type === "json-rpc" ? null : (client.chain ?? deploymentChain(ctx)),
    } as never);
  } catch (error) {
    throw contractErrorFrom(error, { action }) ?? error;
  }
  const receipt = await waitForTransactionReceipt(ctx.publicClient, { hash });
  if (receipt.status !== "success") throw new TransactionRevertedError({ hash, action });
  return receipt;
}

/**
 * A minimal chain for the deployment's chain id, so viem checks that the wallet is on that chain
 * before it sends (when the wallet client was created without a chain).
 */
function deploymentChain(ctx: MarketplaceContext): Chain {
  return defineChain({
    id: ctx.deployment.chainId,
    name: `chain ${ctx.deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
}

/** The events named `eventName` that `address` emitted in a receipt, decoded. */
export function eventsOf<const abi extends Abi, eventName extends ContractEventName<abi>>(
  receipt: TransactionReceipt,
  address: Address,
  abi: abi,
  eventName: eventName,
): ParseEventLogsReturnType<abi, eventName, true> {
  const logs = receipt.logs.filter((log) => isAddressEqual(log.address, address));
  return parseEventLogs({ abi, eventName, logs, strict: true }) as ParseEventLogsReturnType<
    abi,
    eventName,
    true
  >;
}

/** The one event named `eventName` in a receipt; throws when the contract did not emit it. */
export function eventOf<const abi extends Abi, eventName extends ContractEventName<abi>>(
  receipt: TransactionReceipt,
  address: Address,
  abi: abi,
  eventName: eventName,
): ParseEventLogsReturnType<abi, eventName, true>[number] {
  const [event] = eventsOf(receipt, address, abi, eventName);
  if (event === undefined) {
    throw new TypeError(
      `Transaction ${receipt.transactionHash} has no ${String(eventName)} event from ${address}: ` +
        `is the deployment's address right?`,
    );
  }
  return event;
}

/**
 * Events of one contract between two blocks (inclusive), read in ranges of at most
 * `ctx.logBlockRange` blocks. The ranges are requested together (one HTTP round trip with a
 * batching transport) and returned in block order.
 */
export async function eventsInRange<const abi extends Abi, eventName extends ContractEventName<abi>>(
  ctx: MarketplaceContext,
  params: {
    address: Address;
    abi: abi;
    eventName: eventName;
    args?: ContractEventArgs<abi, eventName>;
    fromBlock: bigint;
    toBlock: bigint;
  },
): Promise<GetContractEventsReturnType<abi, eventName, true>> {
  const ranges: [bigint, bigint][] = [];
  for (let from = params.fromBlock; from <= params.toBlock; from += ctx.logBlockRange) {
    const to = from + ctx.logBlockRange - 1n;
    ranges.push([from, to < params.toBlock ? to : params.toBlock]);
  }
  const pages = await Promise.all(
    ranges.map(([fromBlock, toBlock]) =>
      getContractEvents(ctx.publicClient, {
        address: params.address,
        abi: params.abi,
        eventName: params.eventName,
        args: params.args,
        fromBlock,
        toBlock,
        strict: true,
      } as never),
    ),
  );
  return pages.flat() as unknown as GetContractEventsReturnType<abi, eventName, true>;
}

/** The event named `eventName` of one contract in one block, matching `args`; the blob readers' fetch. */
export async function eventsAtBlock<const abi extends Abi, eventName extends ContractEventName<abi>>(
  ctx: MarketplaceContext,
  params: {
    address: Address;
    abi: abi;
    eventName: eventName;
    args?: ContractEventArgs<abi, eventName>;
    block: bigint;
  },
): Promise<GetContractEventsReturnType<abi, eventName, true>> {
  const { block, ...rest } = params;
  return eventsInRange(ctx, { ...rest, fromBlock: block, toBlock: block });
}
