/**
 * Intel's TCB statuses: how current a platform's firmware and microcode are, from its TCB level in
 * Intel's TCB info (and the quoting enclave's and TDX module's levels). Worst wins when several
 * levels apply.
 */

/**
 * A TCB status that verification accepts, best first. `Revoked` is never accepted: it is a refusal
 * (`TcbRevoked`).
 */
export const QUOTE_TCB_STATUSES = [
  "UpToDate",
  "SWHardeningNeeded",
  "ConfigurationNeeded",
  "ConfigurationAndSWHardeningNeeded",
  "OutOfDate",
  "OutOfDateConfigurationNeeded",
] as const;

/** A TCB status of a verified quote (see {@link QUOTE_TCB_STATUSES}). */
export type QuoteTcbStatus = (typeof QUOTE_TCB_STATUSES)[number];

/** A status with the advisories (`INTEL-SA-…`) that explain it. */
export interface TcbLevelStatus {
  status: QuoteTcbStatus | "Revoked";
  advisoryIds: string[];
}

/**
 * Whether `value` is a TCB status verification accepts.
 *
 * @param value Anything.
 * @example
 * if (!isQuoteTcbStatus(config.acceptedStatuses[0])) throw new Error("unknown status");
 * @throws nothing.
 */
export function isQuoteTcbStatus(value: unknown): value is QuoteTcbStatus {
  return (QUOTE_TCB_STATUSES as readonly unknown[]).includes(value);
}

/** The worse of two statuses, with the advisories of both. */
export function worseStatus(a: TcbLevelStatus, b: TcbLevelStatus): TcbLevelStatus {
  const status = severity(b.status) > severity(a.status) ? b.status : a.status;
  return { status, advisoryIds: [...new Set([...a.advisoryIds, ...b.advisoryIds])] };
}

/** A TCB level's status as the TCB info or QE identity JSON gives it. */
export function levelStatus(level: { tcbStatus?: unknown; advisoryIDs?: unknown }): TcbLevelStatus {
  const status = level.tcbStatus;
  const advisories = Array.isArray(level.advisoryIDs) ? level.advisoryIDs.map(String) : [];
  return { status: isQuoteTcbStatus(status) ? status : "Revoked", advisoryIds: advisories };
}

function severity(status: QuoteTcbStatus | "Revoked"): number {
  return status === "Revoked" ? QUOTE_TCB_STATUSES.length : QUOTE_TCB_STATUSES.indexOf(status);
}
