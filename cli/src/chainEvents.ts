/**
 * A contract's events read from the chain in block ranges the RPC accepts (the client's
 * `logBlockRange`, 5000 by default: opBNB's RPCs cap `eth_getLogs`), from the deployment's first
 * block to the latest: what the list commands read when no indexer is named.
 */
import type { Abi, Address, ContractEventName, GetContractEventsReturnType } from "viem";
import { getBlock, getContractEvents } from "viem/actions";

import type { MarketplaceClient } from "@tee-marketplace/sdk";

/**
 * The events named `eventName` of the contract at `address`, filtered by `args`, oldest first.
 *
 * @param client The marketplace client (its RPC, deployment and log range).
 * @param params The contract, the event and its indexed arguments.
 * @returns The decoded events.
 * @throws {Error} viem's, when the RPC refuses a range.
 */
export async function chainEvents<const abi extends Abi, eventName extends ContractEventName<abi>>(
  client: MarketplaceClient,
  params: { address: Address; abi: abi; eventName: eventName; args?: Record<string, unknown> },
): Promise<GetContractEventsReturnType<abi, eventName, true>> {
  const { publicClient, deployment, logBlockRange } = client.context;
  const latest = (await getBlock(publicClient, { blockTag: "latest" })).number;
  const pages = [];
  for (let from = deployment.blocks.deployed; from <= latest; from += logBlockRange) {
    const to = from + logBlockRange - 1n < latest ? from + logBlockRange - 1n : latest;
    pages.push(
      getContractEvents(publicClient, { ...params, fromBlock: from, toBlock: to, strict: true } as never),
    );
  }
  return (await Promise.all(pages)).flat() as unknown as GetContractEventsReturnType<abi, eventName, true>;
}

/**
 * The Unix times of these blocks.
 *
 * @param client The marketplace client.
 * @param blocks Block numbers.
 * @returns Seconds by block number.
 * @throws {Error} viem's, when a block cannot be read.
 */
export async function blockTimes(
  client: MarketplaceClient,
  blocks: readonly bigint[],
): Promise<Map<bigint, number>> {
  const unique = [...new Set(blocks)];
  const read = await Promise.all(
    unique.map((blockNumber) => getBlock(client.context.publicClient, { blockNumber })),
  );
  return new Map(read.map((block, i) => [unique[i] ?? 0n, Number(block.timestamp)]));
}
