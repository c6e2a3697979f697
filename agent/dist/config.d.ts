import { type Hex } from "viem";
import { type Deployment } from "@tee-marketplace/sdk";
/** Where quotes come from: Linux's configfs-tsm, the stand-in enclave, or the first of them present. */
export type QuoteSourceName = "auto" | "configfs-tsm" | "stand-in";
/** How solutions run: in a container engine, as a process (development), or a container when an engine answers. */
export type RunnerName = "auto" | "container" | "process";
/** The storage results and logs are uploaded to. */
export type AgentStorageConfig =
  | {
      readonly type: "FS";
      readonly directory: string;
      readonly prefix: string;
    }
  | {
      readonly type: "S3";
      readonly bucket: string;
      readonly prefix: string;
      readonly endpoint?: string;
      readonly region?: string;
      readonly accessKeyId: string;
      /** Read-only keys written into result pointers instead of the agent's own (which can write). */
      readonly readCredentials: {
        readonly accessKeyId: string;
        readonly secretKey: string;
      };
    };
/** The checked configuration. */
export interface AgentConfig {
  /** The JSON-RPC URL (HTTP); optional only when the program passes its own transport. */
  readonly rpcUrl?: string;
  readonly deployment: Deployment;
  readonly teeOfferId: bigint;
  /** An Ethereum v3 keystore with the operator's key (its password from the environment). */
  readonly keystore?: string;
  /** Base URL of the attestation service (`POST /v1/attestations`). */
  readonly attestationService: string;
  readonly quotes: {
    readonly source: QuoteSourceName;
    /** configfs-tsm's report directory. */
    readonly configfsPath: string;
    /** The stand-in enclave's quoting endpoint (local and test chains only). */
    readonly standInUrl?: string;
  };
  /** The TCB's device id: 32 bytes (keccak256 of the configured name when it is not 32 bytes of hex). */
  readonly deviceId: Hex;
  readonly benchmark: bigint;
  readonly storage: AgentStorageConfig;
  readonly runner: {
    readonly type: RunnerName;
    /** Where each order's work directory is made (and removed after the order). */
    readonly workDirectory: string;
    /** The container engine's command (`docker` or `podman`). */
    readonly engine: string;
  };
  /** Serve `GET /healthz` on this address and port. */
  readonly http?: {
    readonly address: string;
    readonly port: number;
  };
  /** The first block to look for orders from; default the deployment's first block. */
  readonly fromBlock?: bigint;
  /** The largest block range of one `eth_getLogs` request. */
  readonly logBlockRange: bigint;
  /** How often the agent reads the chain. */
  readonly pollIntervalMs: number;
  /** Refresh the TCB this long before it expires. */
  readonly refreshBeforeSeconds: number;
  /** Stop a solution this long before the order's deadline, to leave time to complete it. */
  readonly deadlineMarginSeconds: number;
  /** Orders run at once; more New orders wait. */
  readonly maxConcurrentOrders: number;
}
/** The environment variable with the operator's private key. */
export declare const PRIVATE_KEY_ENV = "TEE_MARKET_AGENT_PRIVATE_KEY";
/** The environment variable with the keystore's password. */
export declare const KEYSTORE_PASSWORD_ENV = "TEE_MARKET_AGENT_KEYSTORE_PASSWORD";
/** The environment variable with the S3 storage's secret access key. */
export declare const S3_SECRET_ENV = "TEE_MARKET_AGENT_S3_SECRET_ACCESS_KEY";
/** Where Linux's configfs-tsm interface puts quote reports. */
export declare const CONFIGFS_TSM_REPORT = "/sys/kernel/config/tsm/report";
/**
 * Reads and checks a configuration file (and the deployment file it names).
 *
 * @param file The JSON file.
 * @example
 * const config = await readAgentConfig("agent.json");
 * @throws {InputError} naming `config` when the file cannot be read.
 * @throws {FileFormatError} naming the file and the field that is wrong.
 */
export declare function readAgentConfig(file: string): Promise<AgentConfig>;
/**
 * Checks a configuration object (with `deployment` as an object); relative paths resolve against
 * `baseDir`.
 *
 * @param json The parsed configuration.
 * @param baseDir The directory relative paths start from.
 * @example
 * const config = parseAgentConfig({ deployment, teeOfferId: "2", attestationService, storage: { type: "FS", directory: "./results" } }, process.cwd());
 * @throws {InputError} naming the field that is missing or wrong.
 */
export declare function parseAgentConfig(json: unknown, baseDir: string): AgentConfig;
