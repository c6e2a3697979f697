/**
 * @tee-marketplace/agent: the TEE provider's agent (`tee-market-agent`), one long-running process
 * per TEE offer that attests its enclave and serves the offer's orders from start to completion.
 * The program is `tee-market-agent run --config <file>`; this entry lets a program run it too (the
 * demo runs it in-process on Hardhat's in-process network).
 */
export { type Agent, type AgentOptions, startAgent } from "./agent.js";
export {
  type AgentConfig,
  type AgentStorageConfig,
  CONFIGFS_TSM_REPORT,
  KEYSTORE_PASSWORD_ENV,
  PRIVATE_KEY_ENV,
  type QuoteSourceName,
  type RunnerName,
  S3_SECRET_ENV,
  parseAgentConfig,
  readAgentConfig,
} from "./config.js";
export {
  AGENT_EVENT_TYPES,
  type AgentEvent,
  type AgentEventType,
  type EventDetails,
  type EventListener,
  eventLine,
} from "./events.js";
export type { HealthStatus } from "./health.js";
export { AttestationServiceError } from "./attestationService.js";
export { OrderRefusedError } from "./inputs.js";
export { STAND_IN_CHAINS } from "./quotes/standIn.js";
export { containerRunArguments } from "./runners/containerRunner.js";
export { ENTRYPOINT } from "./runners/processRunner.js";
export type { RunLayout } from "./runners/runner.js";
