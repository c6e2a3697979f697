/**
 * The agent: one long-running process per TEE offer. At start it checks its configuration against
 * the chain (the offer exists and is a TEE offer, the operator's key is its authority or action
 * account, the storage takes writes, a quote source and a runner are there), makes the enclave's
 * keys in memory and attests them. Then, every poll, it reads the head, finds new workflows of its
 * offer (./orderFollower.ts), reads the status of every open one and acts:
 *
 * - New, bound to this enclave: serve it (./orderRun.ts), up to `maxConcurrentOrders` at once;
 * - New, bound to another enclave: say so once and leave it (its consumer can cancel for a refund);
 * - Processing, bound to this enclave and not being served here (another operator account of the
 *   offer started it, or the run here ended early): serve it too, which runs it when nothing ran
 *   yet (no report) and ends it Error otherwise;
 * - Processing bound to another enclave (its agent restarted), or Canceling, and not being served
 *   here: end it Error with the reason, or Canceled when the consumer asked;
 * - Canceling while served: stop the solution and complete Canceled;
 * - Processing past the slot's max time (less a margin): stop the solution, Error with its logs;
 * - Blocked past its blocked deadline: expire it, which refunds the consumer and frees the slot.
 *
 * It keeps no state the chain does not hold: what it remembers (the cursor, deadlines read once)
 * it can read again, so a restarted agent picks up where the chain is. And it refreshes the TCB
 * before `validUntil` with the same keys.
 */
import { Readable } from "node:stream";

import { type Address, type Transport, createPublicClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlock, getChainId, readContract } from "viem/actions";

import {
  ContractError,
  type MarketplaceContext,
  OfferType,
  type Order,
  OrderStatus,
  StateError,
  createMarketplaceContext,
  enumName,
  expireBlockedOrderCall,
  getBlockedDeadline,
  getOffer,
  getOrders,
  offerRegistryAbi,
  ordersAbi,
} from "@tee-marketplace/sdk";
import { type Storage, type StorageOptions, createStorage } from "@tee-marketplace/sdk/node";

import { type PublishedTcb, attestEnclave } from "./attestor.js";
import { type ChainWriter, createChainWriter } from "./chainWriter.js";
import { type AgentConfig, S3_SECRET_ENV } from "./config.js";
import { type EnclaveKeys, createEnclaveKeys } from "./enclaveKeys.js";
import { type Emit, type EventListener, eventEmitter } from "./events.js";
import { type HealthStatus, serveHealth } from "./health.js";
import { loadOperatorKey } from "./operatorKey.js";
import { type OrderDeps, OrderStop, serveOrder, settleOrder } from "./orderRun.js";
import { type OrderFollower, createOrderFollower } from "./orderFollower.js";
import type { QuoteSource } from "./quotes/quoteSource.js";
import { selectQuoteSource } from "./quotes/selectQuoteSource.js";
import { type RetryOptions, errorSummary, errorText, sleep, withRetry } from "./retry.js";
import { selectRunner } from "./runners/selectRunner.js";
import type { Runner } from "./runners/runner.js";
import { InputError } from "@tee-marketplace/sdk";

/** How long `stop()` lets the orders in flight end (Error, with their logs) before it halts. */
const STOP_GRACE_MS = 60_000;
/** How long after a failed TCB refresh the next one is tried. */
const REFRESH_RETRY_MS = 30_000;
/** Orders read per `getOrders` call (the contract's page). */
const ORDERS_PER_READ = 100;

/** What {@link startAgent} takes. */
export interface AgentOptions {
  readonly config: AgentConfig;
  /** Where the operator's key (and the S3 secret) come from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A viem transport to use instead of `config.rpcUrl` (an in-process node, a test's proxy). */
  readonly transport?: Transport;
  /** Receives every event. */
  readonly onEvent?: EventListener;
}

/** A running agent. */
export interface Agent {
  /** The operator's address (sends every transaction). */
  readonly operator: Address;
  /** The enclave's key: the TCB's `teeKey`, which orders are bound to. */
  readonly teeKey: Address;
  /** The enclave's current TCB. */
  readonly tcb: PublishedTcb;
  /** The status server's URL, when `http` is configured. */
  readonly healthUrl: string | undefined;
  /** What `/healthz` answers. */
  status(): HealthStatus;
  /** Stops taking orders, ends those in flight (Error: the agent stopped), and resolves when it stopped. */
  stop(): Promise<void>;
  /** Resolves when the agent has stopped. */
  readonly stopped: Promise<void>;
}

/** An order being served or settled here. */
interface Task {
  readonly controller: AbortController;
  readonly done: Promise<void>;
  /** The order's processing deadline (chain time), once read. */
  deadline?: number;
}

/**
 * Checks the configuration against the chain, attests the enclave and starts serving the offer.
 *
 * @param options See {@link AgentOptions}.
 * @returns The running agent.
 * @example
 * const agent = await startAgent({ config: await readAgentConfig("agent.json"), onEvent: (e) => console.log(eventLine(e, false)) });
 * process.once("SIGTERM", () => void agent.stop());
 * await agent.stopped;
 * @throws {InputError} naming the setting or environment variable that is missing or wrong.
 * @throws {StateError} when the chain is not the deployment's, the offer is unknown or not a TEE
 * offer, the key is not the offer's operator, or the work directory cannot be made.
 * @throws {StorageError} when the storage refuses a write.
 * @throws {AttestationServiceError} or {@link ContractError} when the enclave's attestation is refused.
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { config } = options;
  const env = options.env ?? process.env;
  const emit = eventEmitter(options.onEvent ?? (() => undefined));
  const halt = new AbortController();
  const retry = {
    signal: halt.signal,
    onRetry: (what: string, error: unknown, delayMs: number, attempt: number) =>
      emit("retrying", `${what}: ${errorSummary(error)} (attempt ${attempt}, next in ${delayMs} ms)`, {
        delayMs,
        attempt,
      }),
  };
  const read = <T>(what: string, attempt: () => Promise<T>) => withRetry(attempt, { ...retry, what });

  const account = privateKeyToAccount(await loadOperatorKey(config.keystore, env));
  if (options.transport === undefined && config.rpcUrl === undefined) {
    throw new InputError("rpcUrl", "is required: the JSON-RPC URL of a node of the deployment's chain");
  }
  const { deployment, teeOfferId } = config;
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain ${deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: config.rpcUrl === undefined ? [] : [config.rpcUrl] } },
  });
  const transport = options.transport ?? http(config.rpcUrl, { retryCount: 0, timeout: 15_000 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: config.pollIntervalMs });
  const ctx = createMarketplaceContext({ publicClient, deployment, logBlockRange: config.logBlockRange });

  const chainId = await read("reading the chain id", () => getChainId(publicClient));
  if (chainId !== deployment.chainId) {
    throw new StateError(
      `The RPC is on chain ${chainId}, the deployment on chain ${deployment.chainId}: point rpcUrl at a node of chain ${deployment.chainId}.`,
    );
  }
  await checkOffer(ctx, teeOfferId, account.address, read);
  const { storage, resourceCredentials } = await openStorage(config.storage, env);
  const source = await selectQuoteSource(config.quotes, chainId);
  const { runner, why } = await selectRunner(config.runner);
  const keys = createEnclaveKeys();
  const writer = createChainWriter({
    publicClient,
    account,
    chain,
    retry,
    pollIntervalMs: config.pollIntervalMs,
  });
  emit(
    "agent-started",
    `serving TEE offer ${teeOfferId} on chain ${chainId} as ${account.address}; enclave ${keys.teeKey} ` +
      `(keys in memory only); quotes: ${source.description}; runner: ${runner.description} (${why}); ` +
      `storage: ${config.storage.type}`,
    {
      teeOfferId,
      chainId,
      operator: account.address,
      teeKey: keys.teeKey,
      quoteSource: source.kind,
      runner: runner.kind,
    },
  );
  const attest = () =>
    attestEnclave({
      ctx,
      writer,
      keys,
      source,
      attestationService: config.attestationService,
      teeOfferId,
      deviceId: config.deviceId,
      benchmark: config.benchmark,
      retry,
    });
  const first = await attest();
  emit(
    "attested",
    `TCB ${first.tcbId} published for enclave ${keys.teeKey}, valid until ${iso(first.validUntil)}`,
    {
      tcbId: first.tcbId,
      validUntil: first.validUntil,
      refresh: false,
    },
  );
  return running({
    config,
    ctx,
    emit,
    halt,
    retry,
    read,
    writer,
    keys,
    source,
    runner,
    storage,
    resourceCredentials,
    tcb: first,
    attest,
  });
}

/** The offer must exist, be a TEE offer, and have `operator` as its authority or action account. */
async function checkOffer(
  ctx: MarketplaceContext,
  teeOfferId: bigint,
  operator: Address,
  read: <T>(what: string, attempt: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const where = `the deployment's OfferRegistry ${ctx.deployment.contracts.offerRegistry} on chain ${ctx.deployment.chainId}`;
  const offer = await read(`reading offer ${teeOfferId}`, () => getOffer(ctx, { offerId: teeOfferId })).catch(
    (error: unknown) => {
      if (error instanceof ContractError && error.errorName === "OfferNotFound") {
        throw new StateError(
          `TEE offer ${teeOfferId} does not exist in ${where}: check teeOfferId and deployment.`,
          {
            cause: error,
          },
        );
      }
      throw error;
    },
  );
  if (offer.offerType !== OfferType.TeeOffer) {
    throw new StateError(
      `Offer ${teeOfferId} is a ${enumName(OfferType, offer.offerType)} offer, not a TEE offer: the agent serves TEE offers.`,
    );
  }
  const isOperator = await read(`checking the operator of offer ${teeOfferId}`, () =>
    readContract(ctx.publicClient, {
      address: ctx.deployment.contracts.offerRegistry,
      abi: offerRegistryAbi,
      functionName: "isOfferOperator",
      args: [teeOfferId, operator],
    }),
  );
  if (!isOperator) {
    throw new StateError(
      `${operator} is neither the authority nor the action account of TEE offer ${teeOfferId}'s provider ` +
        `(${offer.provider}): give the agent the action account's key, or make this account the action account ` +
        "(providers.update).",
    );
  }
}

/** The storage, checked by writing and deleting a probe object. */
async function openStorage(
  config: AgentConfig["storage"],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ storage: Storage; resourceCredentials?: Readonly<Record<string, unknown>> }> {
  let options: StorageOptions;
  let resourceCredentials: Readonly<Record<string, unknown>> | undefined;
  if (config.type === "FS") {
    options = { type: "FS", directory: config.directory, prefix: config.prefix };
  } else {
    const secret = env[S3_SECRET_ENV];
    if (secret === undefined || secret === "") {
      throw new InputError(
        S3_SECRET_ENV,
        `is not set: it holds the secret of the S3 key ${config.accessKeyId}`,
      );
    }
    options = {
      type: "S3",
      bucket: config.bucket,
      prefix: config.prefix,
      accessKeyId: config.accessKeyId,
      secretAccessKey: secret,
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      ...(config.region === undefined ? {} : { region: config.region }),
    };
    resourceCredentials = { ...config.readCredentials };
  }
  const storage = createStorage(options);
  const probe = `.tee-market-agent-probe-${process.pid}-${Date.now()}`;
  await storage.put(probe, Readable.from([Buffer.from("probe")]));
  await storage.delete(probe);
  return resourceCredentials === undefined ? { storage } : { storage, resourceCredentials };
}

/** The agent once attested: its poll loop, its tasks, its status and its stop. */
async function running(s: {
  config: AgentConfig;
  ctx: MarketplaceContext;
  emit: Emit;
  halt: AbortController;
  retry: Omit<RetryOptions, "what" | "retryIf">;
  read: <T>(what: string, attempt: () => Promise<T>) => Promise<T>;
  writer: ChainWriter;
  keys: EnclaveKeys;
  source: QuoteSource;
  runner: Runner;
  storage: Storage;
  resourceCredentials: Readonly<Record<string, unknown>> | undefined;
  tcb: PublishedTcb;
  attest: () => Promise<PublishedTcb>;
}): Promise<Agent> {
  const { config, ctx, emit, keys } = s;
  const ours = (order: Order) => order.teeKey.toLowerCase() === keys.teeKey.toLowerCase();
  let tcb = s.tcb;
  let head: { number: bigint; timestamp: number; seenAt: number } | undefined;
  let lastGoodPoll = Date.now();
  let refreshing = false;
  let refreshAfter = 0;
  const open = new Set<bigint>();
  const noted = new Set<bigint>();
  const tasks = new Map<bigint, Task>();
  const blockedDeadlines = new Map<bigint, bigint>();
  const stopping = new AbortController();
  /** Reads of the poll loop: they give up when the agent stops, not only when it halts. */
  const pollRead = <T>(what: string, attempt: () => Promise<T>) =>
    withRetry(attempt, { ...s.retry, what, signal: AbortSignal.any([stopping.signal, s.halt.signal]) });
  const follower: OrderFollower = createOrderFollower(
    ctx,
    config.teeOfferId,
    config.fromBlock ?? ctx.deployment.blocks.deployed,
    (from, refused, next, error) =>
      emit(
        "warning",
        `the RPC refused logs of ${refused} blocks from block ${from} (${firstLine(errorText(error))}); reading ${next} at a time`,
      ),
  );
  const deps: OrderDeps = {
    ctx,
    writer: s.writer,
    keys,
    runner: s.runner,
    storage: s.storage,
    ...(s.resourceCredentials === undefined ? {} : { resourceCredentials: s.resourceCredentials }),
    workDirectory: config.runner.workDirectory,
    tcbId: () => tcb.tcbId,
    read: s.read,
    emit,
    halt: s.halt.signal,
  };

  /** Chain time now: the head's timestamp plus the time since it was seen. */
  const chainNow = () =>
    head === undefined
      ? Math.floor(Date.now() / 1000)
      : head.timestamp + Math.floor((Date.now() - head.seenAt) / 1000);

  function track(orderId: bigint, work: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    const done = work(controller.signal)
      .catch((error: unknown) => {
        if (!s.halt.signal.aborted)
          emit("warning", `order ${orderId}: ${firstLine(errorText(error))}`, { orderId });
      })
      .finally(() => tasks.delete(orderId));
    tasks.set(orderId, { controller, done });
  }

  async function act(order: Order): Promise<void> {
    const orderId = order.id;
    const task = tasks.get(orderId);
    switch (order.status) {
      case OrderStatus.Done:
      case OrderStatus.Error:
      case OrderStatus.Canceled:
        open.delete(orderId);
        noted.delete(orderId);
        blockedDeadlines.delete(orderId);
        return;
      case OrderStatus.Blocked: {
        let deadline = blockedDeadlines.get(orderId);
        if (deadline === undefined) {
          deadline = await pollRead(`reading order ${orderId}'s blocked deadline`, () =>
            getBlockedDeadline(ctx, { orderId }),
          );
          blockedDeadlines.set(orderId, deadline);
        }
        if (BigInt(chainNow()) < deadline || task !== undefined) return;
        track(orderId, async () => {
          const receipt = await s.writer.send(
            expireBlockedOrderCall(ctx, { orderId }),
            `expiring order ${orderId}`,
          );
          emit(
            "order-expired",
            `still Blocked after its deadline (${iso(Number(deadline))}): expired in ${receipt.transactionHash}; ` +
              "the consumer is refunded and the slot is free",
            { orderId },
          );
        });
        return;
      }
      case OrderStatus.New:
        if (!ours(order)) {
          note(
            orderId,
            "order-skipped",
            `bound to enclave ${order.teeKey}, not this one (${keys.teeKey}): it cannot be run here; its consumer can cancel it for a full refund`,
          );
          return;
        }
        if (task === undefined && tasks.size < config.maxConcurrentOrders && !stopping.signal.aborted) {
          track(orderId, (signal) => serveOrder(deps, orderId, signal));
        }
        return;
      case OrderStatus.Processing:
      case OrderStatus.Canceling:
        if (task === undefined) {
          if (stopping.signal.aborted) return;
          if (ours(order) && order.status === OrderStatus.Processing) {
            // Started without this agent (by another operator account of the offer), or its run
            // here ended early: serveOrder runs it when nothing ran yet (no report), and settles it
            // otherwise, as nothing runs twice.
            if (tasks.size < config.maxConcurrentOrders) {
              track(orderId, (signal) => serveOrder(deps, orderId, signal));
            }
            return;
          }
          const reason = ours(order)
            ? "the consumer canceled the order"
            : `the enclave this order is bound to (${order.teeKey}) is gone: its agent restarted, and an enclave's keys ` +
              "live in memory only, so no enclave can open this order's inputs again";
          track(orderId, () => settleOrder(deps, orderId, reason));
          return;
        }
        if (order.status === OrderStatus.Canceling) {
          if (!task.controller.signal.aborted) {
            task.controller.abort(new OrderStop("canceled", "The consumer canceled the order while it ran."));
          }
          return;
        }
        task.deadline ??= Number(
          await pollRead(`reading order ${orderId}'s deadline`, () =>
            readContract(ctx.publicClient, {
              address: ctx.deployment.contracts.orders,
              abi: ordersAbi,
              functionName: "processingDeadline",
              args: [orderId],
            }),
          ),
        );
        if (
          task.deadline > 0 &&
          chainNow() >= task.deadline - config.deadlineMarginSeconds &&
          !task.controller.signal.aborted
        ) {
          task.controller.abort(
            new OrderStop(
              "deadline",
              `The solution was stopped: the order's deadline (the TEE slot's max time) is ${iso(task.deadline)}, ` +
                `and the agent stops a run ${config.deadlineMarginSeconds} s before it to complete the order in time.`,
            ),
          );
        }
        return;
      default:
        return;
    }
  }

  function note(orderId: bigint, type: "order-skipped", message: string): void {
    if (noted.has(orderId)) return;
    noted.add(orderId);
    emit(type, message, { orderId });
  }

  function maybeRefresh(): void {
    if (refreshing || Date.now() < refreshAfter || chainNow() < tcb.validUntil - config.refreshBeforeSeconds)
      return;
    refreshing = true;
    s.attest()
      .then((next) => {
        tcb = next;
        emit(
          "attested",
          `TCB ${next.tcbId} published for the same enclave ${keys.teeKey} (refresh), valid until ${iso(next.validUntil)}`,
          {
            tcbId: next.tcbId,
            validUntil: next.validUntil,
            refresh: true,
          },
        );
      })
      .catch((error: unknown) => {
        refreshAfter = Date.now() + REFRESH_RETRY_MS;
        if (!s.halt.signal.aborted) {
          emit(
            "warning",
            `the TCB refresh failed (${firstLine(errorText(error))}); trying again in ${REFRESH_RETRY_MS / 1000} s`,
          );
        }
      })
      .finally(() => {
        refreshing = false;
      });
  }

  async function poll(): Promise<void> {
    const block = await pollRead("reading the head", () =>
      getBlock(ctx.publicClient, { blockTag: "latest" }),
    );
    head = { number: block.number, timestamp: Number(block.timestamp), seenAt: Date.now() };
    const found = await pollRead(`reading workflows from block ${follower.cursor}`, () =>
      follower.scan(block.number),
    );
    for (const orderId of found) {
      if (open.has(orderId)) continue;
      open.add(orderId);
      emit("order-found", `a workflow on this offer`, { orderId });
    }
    const ids = [...open];
    for (let i = 0; i < ids.length; i += ORDERS_PER_READ) {
      const page = ids.slice(i, i + ORDERS_PER_READ);
      const orders = await pollRead("reading the open orders", () => getOrders(ctx, { orderIds: page }));
      for (const order of orders) await act(order);
    }
    maybeRefresh();
    lastGoodPoll = Date.now();
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        await poll();
      } catch (error) {
        if (stopping.signal.aborted || s.halt.signal.aborted) break;
        emit("warning", `reading the chain failed: ${firstLine(errorText(error))}`);
      }
      await sleep(config.pollIntervalMs, stopping.signal).catch(() => undefined);
    }
  }

  const looping = loop();
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping.abort();
      await looping;
      for (const task of tasks.values()) {
        task.controller.abort(
          new OrderStop("stopping", "The agent was stopped by its operator before the order finished."),
        );
      }
      const ended = Promise.all([...tasks.values()].map((task) => task.done));
      await Promise.race([ended, sleep(STOP_GRACE_MS)]);
      s.halt.abort(new Error("the agent stopped"));
      await ended;
      await health?.close();
      emit("agent-stopped", `stopped; ${open.size} open order(s) of the offer remain on chain`);
    })();
    return stopped;
  };
  let resolveStopped: () => void = () => undefined;
  const whenStopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });

  const health =
    config.http === undefined
      ? undefined
      : await serveHealth(config.http.address, config.http.port, () => status());
  const status = (): HealthStatus => ({
    status: Date.now() - lastGoodPoll <= 5 * config.pollIntervalMs + 15_000 ? "ok" : "stale",
    chainId: ctx.deployment.chainId,
    teeOfferId: config.teeOfferId.toString(),
    operator: s.writer.address,
    teeKey: keys.teeKey,
    quoteSource: s.source.kind,
    runner: s.runner.kind,
    lastBlock:
      head === undefined
        ? null
        : {
            number: head.number.toString(),
            timestamp: head.timestamp,
            seenAt: new Date(head.seenAt).toISOString(),
          },
    ordersInFlight: [...tasks.keys()].map(String),
    tcb: {
      id: tcb.tcbId.toString(),
      validUntil: tcb.validUntil,
      expiresInSeconds: tcb.validUntil - chainNow(),
    },
  });
  return {
    operator: s.writer.address,
    teeKey: keys.teeKey,
    get tcb() {
      return tcb;
    },
    healthUrl: health?.url,
    status,
    stop: () => stop().then(resolveStopped),
    stopped: whenStopped,
  };
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
