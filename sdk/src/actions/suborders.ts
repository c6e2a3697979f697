/**
 * Suborders, the data owner's side: list the suborders of a provider's offers, complete one (the
 * hash-gated step: the solution hash is compared before anything is sent, and the resource is
 * encrypted for the active TCB's key), read a completion back (`IOrders`).
 */
import { type Address, type Hex, type TransactionReceipt, zeroHash } from "viem";
import { getBlock } from "viem/actions";

import { ordersAbi } from "../abi/orders.js";
import type { MarketplaceCall } from "../calls.js";
import { offerRegistryAbi } from "../abi/offerRegistry.js";
import { MAX_ENCRYPTED_RESULT_SIZE, MAX_ID_PAGE_SIZE } from "../abi/protocol.js";
import type { MarketplaceContext } from "../context.js";
import { OfferType, OrderStatus, enumName, parseEnum } from "../enums.js";
import { sealHandOver } from "../envelopes.js";
import { ContractError, InputError, SolutionHashMismatchError, StateError } from "../errors.js";
import { eventsAtBlock, eventsOf, read, requireWallet, send } from "../internal/contract.js";
import { pageLimit, toId } from "../internal/ids.js";
import { completionStatus, toOrder, toSuborder } from "../internal/orderStructs.js";
import { type ContentHashInput, type ResourceFile, toContentHash, toResourceFile } from "../resourceFile.js";
import { toAddress, toHexBytes } from "../validate.js";
import type { Order, Suborder } from "../orderTypes.js";
import { type TeeKey, getTcbPublication } from "./tcb.js";

/** Statuses to keep, by value or name. */
type StatusFilter =
  OrderStatus | keyof typeof OrderStatus | readonly (OrderStatus | keyof typeof OrderStatus)[];

/** What {@link listSuborders} takes: one offer (a page by cursor), or every input offer of a provider. */
export type ListSubordersParameters =
  | {
      /** The input offer. */
      offerId: bigint | number | string;
      /** `nextCursor` of the previous page; omit for the newest. */
      cursor?: bigint | number | string;
      /** Page size, at most 100 (default). */
      limit?: bigint | number;
      /** Keep only these statuses (within the page). */
      status?: StatusFilter;
    }
  | {
      /** The provider's authority: every suborder of its Solution and Data offers. */
      provider: Address | string;
      /** Keep only these statuses, for example `"New"` for the suborders waiting for their owner. */
      status?: StatusFilter;
    };

function statusFilter(value: StatusFilter | undefined): Set<OrderStatus> | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]) as readonly unknown[];
  return new Set(
    list.map((item, i) => parseEnum(OrderStatus, item, Array.isArray(value) ? `status[${i}]` : "status")),
  );
}

async function subordersById(ctx: MarketplaceContext, ids: readonly bigint[]): Promise<Suborder[]> {
  return Promise.all(ids.map((id) => readSuborder(ctx, id)));
}

/** One suborder, as the SDK shapes it (one `getSuborder` call). */
async function readSuborder(ctx: MarketplaceContext, suborderId: bigint): Promise<Suborder> {
  return toSuborder(
    suborderId,
    await read(
      ctx,
      {
        address: ctx.deployment.contracts.orders,
        abi: ordersAbi,
        functionName: "getSuborder",
        args: [suborderId],
      },
      `Cannot read suborder ${suborderId}`,
    ),
  );
}

async function suborderIdsOfOffer(
  ctx: MarketplaceContext,
  offerId: bigint,
  cursor: bigint,
  limit: bigint,
): Promise<{ ids: bigint[]; nextCursor: bigint | undefined }> {
  const [ids, next] = await read(
    ctx,
    {
      address: ctx.deployment.contracts.orders,
      abi: ordersAbi,
      functionName: "subordersOfOffer",
      args: [offerId, cursor, limit],
    },
    `Cannot list the suborders of offer ${offerId}`,
  );
  return { ids: [...ids], nextCursor: next === 0n ? undefined : next };
}

/** A provider's Solution and Data offers: its offer ids (`offersOfProvider`), then their types. */
async function inputOffersOf(ctx: MarketplaceContext, provider: Address): Promise<bigint[]> {
  const address = ctx.deployment.contracts.offerRegistry;
  const offerIds: bigint[] = [];
  for (let offset = 0n; ; offset += BigInt(MAX_ID_PAGE_SIZE)) {
    const page = await read(
      ctx,
      {
        address,
        abi: offerRegistryAbi,
        functionName: "offersOfProvider",
        args: [provider, offset, BigInt(MAX_ID_PAGE_SIZE)],
      },
      `Cannot list the offers of provider ${provider}`,
    );
    offerIds.push(...page);
    if (page.length < MAX_ID_PAGE_SIZE) break;
  }
  const types = await Promise.all(
    offerIds.map((offerId) =>
      read(
        ctx,
        { address, abi: offerRegistryAbi, functionName: "getOfferType", args: [offerId] },
        `Cannot read offer ${offerId}`,
      ),
    ),
  );
  return offerIds.filter((_, i) => types[i] === OfferType.Data || types[i] === OfferType.Solution);
}

/**
 * Suborders for a data owner or solution author.
 *
 * - With `offerId`: a page of that offer's suborders, newest first, by cursor (two round trips
 *   with a batching transport: the ids, then the suborders).
 * - With `provider`: every suborder of every Solution and Data offer of the provider, newest
 *   first: the provider's offer ids, their types, their suborder ids, the suborders (four round
 *   trips with a batching transport, one more per 1000 offers or per 1000 suborders of an offer);
 *   its cost grows with the provider's offers and suborders, not the marketplace's. Use `status`
 *   to keep only the ones that need attention.
 *
 * @param ctx The marketplace context.
 * @param params See {@link ListSubordersParameters}.
 * @returns The suborders and, for one offer, `nextCursor` (`undefined` after the last page).
 * @example
 * const { suborders } = await client.suborders.list({ provider: bob, status: "New" });
 * for (const s of suborders) console.log(`suborder ${s.id} of order ${s.parentId} waits for Bob`);
 * @throws {InputError} naming the parameter that is malformed.
 * @throws {ContractError} `OrderCursorInvalid` when the cursor is not a suborder of the offer.
 */
export async function listSuborders(
  ctx: MarketplaceContext,
  params: ListSubordersParameters,
): Promise<{ suborders: Suborder[]; nextCursor?: bigint | undefined }> {
  const keep = statusFilter(params.status);
  const filter = (list: Suborder[]) => (keep === undefined ? list : list.filter((s) => keep.has(s.status)));
  if ("offerId" in params) {
    const offerId = toId(params.offerId, "offerId", "an offer");
    const cursor = params.cursor === undefined ? 0n : toId(params.cursor, "cursor", "a suborder");
    const limit = pageLimit(params.limit);
    const page = await suborderIdsOfOffer(ctx, offerId, cursor, limit);
    return { suborders: filter(await subordersById(ctx, page.ids)), nextCursor: page.nextCursor };
  }
  if (!("provider" in params)) throw new InputError("", "pass { offerId } or { provider }");
  const provider = toAddress(params.provider, "provider");
  const offerIds = await inputOffersOf(ctx, provider);
  const ids: bigint[] = [];
  let pending = offerIds.map((offerId) => ({ offerId, cursor: 0n }));
  while (pending.length > 0) {
    const pages = await Promise.all(
      pending.map(async ({ offerId, cursor }) => ({
        offerId,
        page: await suborderIdsOfOffer(ctx, offerId, cursor, BigInt(MAX_ID_PAGE_SIZE)),
      })),
    );
    pending = [];
    for (const { offerId, page } of pages) {
      ids.push(...page.ids);
      if (page.nextCursor !== undefined) pending.push({ offerId, cursor: page.nextCursor });
    }
  }
  ids.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return { suborders: filter(await subordersById(ctx, ids)) };
}

/** What {@link completeSuborder} takes. */
export interface CompleteSuborderParameters {
  suborderId: bigint | number | string;
  /** Done (hand over the resource), or Error / Canceled (decline: the whole workflow is canceled and refunded). */
  status: OrderStatus | keyof typeof OrderStatus;
  /**
   * The solution hash the owner reviewed: 64 hex digits (with or without 0x), or the solution's
   * `solution.resource.json`. Required for Done; it must equal the order's committed hash.
   */
  solutionHash?: ContentHashInput;
  /**
   * The owner's `*.resource.json` (from `readResourceFile` of `@tee-marketplace/sdk/node`, or the
   * parsed object): the whole file is encrypted for the TEE, and its `hash` becomes the default
   * `dataHash`.
   */
  resourceFile?: ResourceFile | Readonly<Record<string, unknown>>;
  /** Any other JSON value (or text) to encrypt for the TEE instead of a resource file. */
  resource?: unknown;
  /** A ciphertext prepared elsewhere, sent as is (no TCB lookup, no encryption). */
  encryptedResult?: Hex | Uint8Array;
  /**
   * sha256 of the data released, pinned on-chain so the TEE's report must list it as a Data entry.
   * Defaults to the resource file's `hash`; zero (or no resource file) pins nothing.
   */
  dataHash?: ContentHashInput;
}

/** What {@link completeSuborder} returns. */
export interface CompleteSuborderResult {
  receipt: TransactionReceipt;
  /** The parent (TEE) order of the suborder. */
  parentId: bigint;
  /** The parent order's status after the completion (New when this was its last blocking suborder). */
  parentStatus: OrderStatus;
  /** Whether this completion unblocked the parent (Blocked → New: it was its last blocking suborder). */
  unblocked: boolean;
  /** The order's enclave, which the hand-over is sealed for. */
  teeKey: Address;
  /** The enclave's TCB whose public key sealed the hand-over (undefined when nothing was sealed). */
  tcbId: bigint | undefined;
  /** The pinned data hash (zero when none). */
  dataHash: Hex;
  /** What was sent as the encrypted result. */
  encryptedResult: Hex;
}

/**
 * Completes a suborder (the data owner's hand-over). Before anything is sent:
 *
 * 1. reads, in one call (`getSuborderContext`), the suborder, its parent order (the committed
 *    solution hash and the order's enclave) and the enclave's key record and newest TCB; a
 *    suborder that is not New or Processing fails with the contract's `OrderInvalidTransition`,
 *    locally;
 * 2. for Done, compares the solution hash with the one the order committed to: a mismatch throws
 *    {@link SolutionHashMismatchError} (a ContractError with `errorName` `"SolutionHashMismatch"`
 *    and the contract's args) and nothing is sent;
 * 3. requires the order's enclave to be valid now (not revoked, its newest TCB not expired), fetches
 *    its ECIES public key from `TcbPublished` at that TCB's `publishedBlock` and checks
 *    keccak256(publicKey) against the stored hash;
 * 4. seals the resource file (or resource) in a hand-over envelope that names this chain, the
 *    Orders contract, the suborder, its parent, the solution hash and the enclave
 *    (docs/design.md §4), so the ciphertext is useless for any other order;
 * 5. simulates and sends `completeSuborder` (a revert, for example `SuborderCallerNotOperator`, is
 *    a ContractError before gas is spent).
 *
 * `dataHash` defaults to the resource file's `hash` when a resource file is given.
 *
 * @param ctx The marketplace context.
 * @param params See {@link CompleteSuborderParameters}.
 * @example
 * import { readResourceFile } from "@tee-marketplace/sdk/node";
 * await client.suborders.complete({
 *   suborderId,
 *   status: "Done",
 *   solutionHash: "b9de3d23d309364f3b8bbe7a76fcd9037fb12d6c984e5bd33e26fa3a66e21895",
 *   resourceFile: await readResourceFile("dataset.resource.json"),
 * });
 * @throws {InputError} naming the parameter that is missing or malformed (`solutionHash` for Done,
 * `resourceFile.hash.hash`, ...), `encryptedResult`/`resource` when the ciphertext exceeds the cap,
 * or `walletClient`.
 * @throws {SolutionHashMismatchError} when the solution hash is not the committed one (nothing sent).
 * @throws {ContractError} `OrderInvalidTransition` (found locally), `SuborderNotFound`,
 * `SuborderCallerNotOperator`, ... from the simulation.
 * @throws {StateError} when the order's enclave is no longer valid, or its public key does not
 * match the stored hash.
 */
export async function completeSuborder(
  ctx: MarketplaceContext,
  params: CompleteSuborderParameters,
): Promise<CompleteSuborderResult> {
  const prepared = await prepareCompletion(ctx, params, true);
  const { call, order, tcbId, dataHash } = prepared;
  const [suborderId, , , , teeKey, encryptedResult] = call.args;
  const receipt = await send(ctx, call, `Cannot complete suborder ${suborderId}`);
  const parentUpdate = eventsOf(receipt, call.address, ordersAbi, "OrderStatusUpdated")
    .filter((e) => e.args.orderId === order.id)
    .at(-1);
  const parentStatus = (parentUpdate?.args.to ?? order.status) as OrderStatus;
  const unblocked = parentUpdate?.args.from === OrderStatus.Blocked && parentStatus === OrderStatus.New;
  return { receipt, parentId: order.id, parentStatus, unblocked, teeKey, tcbId, dataHash, encryptedResult };
}

/**
 * The `completeSuborder` call of {@link completeSuborder}, prepared but not sent (for a multisig
 * or a batcher): the same checks and reads (the suborder, its order and enclave, the solution
 * hash), and the resource sealed for the enclave. Async, unlike most builders, because of those reads.
 *
 * @param ctx The marketplace context (its wallet is not needed).
 * @param params See {@link CompleteSuborderParameters}.
 * @example
 * const call = await client.calls.completeSuborder({ suborderId, status: "Done", solutionHash, resourceFile });
 * @throws As {@link completeSuborder}, before anything would be sent.
 */
export async function completeSuborderCall(
  ctx: MarketplaceContext,
  params: CompleteSuborderParameters,
): Promise<MarketplaceCall<typeof ordersAbi, "completeSuborder">> {
  return (await prepareCompletion(ctx, params, false)).call;
}

/** The checks, reads and sealing of a completion, and the call they give. */
async function prepareCompletion(
  ctx: MarketplaceContext,
  params: CompleteSuborderParameters,
  needsWallet: boolean,
): Promise<{
  call: MarketplaceCall<typeof ordersAbi, "completeSuborder">;
  order: Order;
  tcbId: bigint | undefined;
  dataHash: Hex;
}> {
  const suborderId = toId(params.suborderId, "suborderId", "a suborder");
  const status = completionStatus(params.status, "status");
  const done = status === OrderStatus.Done;
  if (done && params.solutionHash === undefined) {
    throw new InputError(
      "solutionHash",
      "is required for Done: pass the solution hash you reviewed (or its resource file)",
    );
  }
  const provided =
    params.solutionHash === undefined ? zeroHash : toContentHash(params.solutionHash, "solutionHash");
  const sources = (["resourceFile", "resource", "encryptedResult"] as const).filter(
    (key) => params[key] !== undefined,
  );
  if (sources.length > 1)
    throw new InputError(sources[1] ?? "", `pass only one of resourceFile, resource and encryptedResult`);
  const resourceFile =
    params.resourceFile === undefined ? undefined : toResourceFile(params.resourceFile, "resourceFile");
  const resource = resourceFile?.raw ?? params.resource;
  if (done && resource === undefined && params.encryptedResult === undefined) {
    throw new InputError(
      "resourceFile",
      "is required for Done: pass the resource file (or resource, or encryptedResult) the TEE needs",
    );
  }
  let encryptedResult =
    params.encryptedResult === undefined
      ? "0x"
      : toHexBytes(params.encryptedResult, "encryptedResult", { maxSize: MAX_ENCRYPTED_RESULT_SIZE });
  const dataHash =
    params.dataHash !== undefined
      ? toContentHash(params.dataHash, "dataHash")
      : (resourceFile?.hash ?? zeroHash);
  if (needsWallet) requireWallet(ctx, `Cannot complete suborder ${suborderId}`);

  const { suborder, order, teeKey } = await readSuborderContext(ctx, suborderId);
  if (suborder.status !== OrderStatus.New && suborder.status !== OrderStatus.Processing) {
    throw new ContractError({
      action: `Suborder ${suborderId} cannot be completed (checked locally, nothing was sent)`,
      errorName: "OrderInvalidTransition",
      args: [suborderId, suborder.status, status],
      hint: `It is ${enumName(OrderStatus, suborder.status)}; only New or Processing suborders can be completed`,
    });
  }
  if (done && provided !== order.solutionHash) {
    throw new SolutionHashMismatchError({ suborderId, expected: order.solutionHash, provided });
  }

  let tcbId: bigint | undefined;
  if (resource !== undefined) {
    const tcb = teeKey.latestTcb;
    if (!teeKey.valid || tcb === undefined) {
      throw new StateError(
        `The enclave of order ${order.id} (TEE key ${order.teeKey}) is no longer valid: ` +
          (teeKey.revokedBlock !== 0n
            ? `its key was revoked at block ${teeKey.revokedBlock}`
            : `its newest TCB expired at ${new Date(teeKey.validUntil * 1000).toISOString()}`) +
          `. Suborder ${suborderId}'s resource would be handed to a key the marketplace no longer trusts; ` +
          `decline the suborder (status Canceled) or wait for the TEE to refresh its TCB.`,
      );
    }
    const { publicKey } = await getTcbPublication(ctx, { tcb });
    encryptedResult = sealHandOver(publicKey, {
      chainId: ctx.deployment.chainId,
      orders: ctx.deployment.contracts.orders,
      suborderId,
      parentId: order.id,
      solutionHash: order.solutionHash,
      teeKey: order.teeKey,
      resource,
    });
    const size = (encryptedResult.length - 2) / 2;
    if (size > MAX_ENCRYPTED_RESULT_SIZE) {
      throw new InputError(
        resourceFile !== undefined ? "resourceFile" : "resource",
        `seals to ${size} bytes, more than the contract's cap of ${MAX_ENCRYPTED_RESULT_SIZE} bytes; hand over a smaller resource`,
      );
    }
    tcbId = tcb.id;
  }

  const call: MarketplaceCall<typeof ordersAbi, "completeSuborder"> = {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    functionName: "completeSuborder",
    args: [suborderId, status, provided, dataHash, order.teeKey, encryptedResult],
  };
  return { call, order, tcbId, dataHash };
}

/** What a data owner needs to complete a suborder, from one `getSuborderContext` call. */
async function readSuborderContext(
  ctx: MarketplaceContext,
  suborderId: bigint,
): Promise<{ suborder: Suborder; order: Order; teeKey: Omit<TeeKey, "address"> }> {
  const [[suborder, parent, key, tcb], block] = await Promise.all([
    read(
      ctx,
      {
        address: ctx.deployment.contracts.orders,
        abi: ordersAbi,
        functionName: "getSuborderContext",
        args: [suborderId],
      },
      `Cannot read suborder ${suborderId}`,
    ),
    getBlock(ctx.publicClient),
  ]);
  return {
    suborder: toSuborder(suborderId, suborder),
    order: toOrder(suborder.parentId, parent),
    teeKey: {
      ...key,
      // The registry's rule (`isTeeKeyValid`) at the latest block's time.
      valid: key.revokedBlock === 0n && BigInt(key.validUntil) > block.timestamp,
      latestTcb: key.latestTcbId === 0n ? undefined : { id: key.latestTcbId, ...tcb },
    },
  };
}

/** A suborder's completion, as its owner sent it (from `SuborderCompleted`). */
export interface SuborderResult {
  suborderId: bigint;
  /** The provider authority or action account that completed it. */
  operator: Address;
  status: OrderStatus;
  dataHash: Hex;
  /** The owner's resource, encrypted for the TEE (`tee.decryptInput` opens it). */
  encryptedResult: Hex;
  blockNumber: bigint;
}

/**
 * What a data owner handed over for a suborder: one `eth_getLogs` over the suborder's `resultBlock`.
 * The TEE decrypts `encryptedResult` with its ECIES key (`tee.decryptInput`).
 *
 * @param ctx The marketplace context.
 * @param params `suborderId`.
 * @example
 * const { encryptedResult } = await teeClient.suborders.getResult({ suborderId });
 * const resource = JSON.parse(new TextDecoder().decode(teeClient.tee.decryptInput(eciesKey, encryptedResult)));
 * @throws {InputError} naming `suborderId`.
 * @throws {ContractError} `SuborderNotFound`.
 * @throws {StateError} when the suborder was not completed by its owner (auto-complete, or still open).
 */
export async function getSuborderResult(
  ctx: MarketplaceContext,
  params: { suborderId: bigint | number | string },
): Promise<SuborderResult> {
  const suborderId = toId(params.suborderId, "suborderId", "a suborder");
  const suborder = await readSuborder(ctx, suborderId);
  if (suborder.resultBlock === 0n) {
    throw new StateError(
      `Suborder ${suborderId} is ${enumName(OrderStatus, suborder.status)} and has no completion by its owner ` +
        `(still open, canceled with its parent, or auto-complete).`,
    );
  }
  const [event] = await eventsAtBlock(ctx, {
    address: ctx.deployment.contracts.orders,
    abi: ordersAbi,
    eventName: "SuborderCompleted",
    args: { suborderId },
    block: suborder.resultBlock,
  });
  if (event === undefined) {
    throw new StateError(
      `No SuborderCompleted event of suborder ${suborderId} at block ${suborder.resultBlock}; check the RPC.`,
    );
  }
  return {
    suborderId,
    operator: event.args.operator,
    status: event.args.status as OrderStatus,
    dataHash: event.args.dataHash,
    encryptedResult: event.args.encryptedResult,
    blockNumber: event.blockNumber,
  };
}
