import { type Address, type Transport } from "viem";
import { type PublishedTcb } from "./attestor.js";
import { type AgentConfig } from "./config.js";
import { type EventListener } from "./events.js";
import { type HealthStatus } from "./health.js";
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
export declare function startAgent(options: AgentOptions): Promise<Agent>;
