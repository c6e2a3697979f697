/**
 * What the agent tells its operator: one event per thing that happened (the agent started, a TCB
 * was published, an order moved a step, an RPC call is being retried), written as one line on
 * stdout, in words or as JSON (`--json`). Every event has a type from {@link AGENT_EVENT_TYPES}, a
 * time and a message; order events carry the order id, the others what they are about.
 */

/** Every event type the agent emits, in the order an order meets them. */
export const AGENT_EVENT_TYPES = [
  "agent-started",
  "attested",
  "order-found",
  "order-skipped",
  "order-expired",
  "order-started",
  "inputs-opened",
  "input-checked",
  "report-published",
  "solution-started",
  "solution-exited",
  "result-uploaded",
  "order-completed",
  "retrying",
  "warning",
  "agent-stopped",
] as const;

/** One of {@link AGENT_EVENT_TYPES}. */
export type AgentEventType = (typeof AGENT_EVENT_TYPES)[number];

/** Details of an event: JSON values (bigints are written as decimal strings). */
export type EventDetails = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** One event. */
export interface AgentEvent {
  /** ISO 8601 time at which the agent emitted it. */
  readonly time: string;
  readonly type: AgentEventType;
  /** The order it is about, as a decimal string. */
  readonly orderId?: string;
  /** What happened, in words. */
  readonly message: string;
  readonly details?: EventDetails;
}

/** What {@link eventEmitter} takes besides the type and message: the order, and details (bigints allowed). */
export type EmitDetails = Readonly<Record<string, string | number | bigint | boolean | null | undefined>> & {
  readonly orderId?: bigint;
};

/** Emits one event. */
export type Emit = (type: AgentEventType, message: string, details?: EmitDetails) => void;

/** Receives the agent's events. */
export type EventListener = (event: AgentEvent) => void;

/**
 * The line an event is written as: `<time> <type> [order <id>] <message>`, or its JSON.
 *
 * @param event The event.
 * @param json Write JSON (one object per line) instead of words.
 * @example
 * process.stdout.write(`${eventLine(event, false)}\n`);
 * // 2026-01-30T20:30:00.000Z order-started order 7 started (Processing) in transaction 0x…
 * @throws nothing.
 */
export function eventLine(event: AgentEvent, json: boolean): string {
  if (json) return JSON.stringify(event);
  return `${event.time} ${event.type}${event.orderId === undefined ? "" : ` order ${event.orderId}`} ${event.message}`;
}

/**
 * An emitter bound to a listener: `emit(type, message, { orderId, ...details })`.
 *
 * @param listener Where events go.
 * @example
 * const emit = eventEmitter((event) => console.log(eventLine(event, false)));
 * emit("warning", "the RPC is slow");
 * @throws nothing; a listener that throws is the caller's bug and is not caught.
 */
export function eventEmitter(listener: EventListener): Emit {
  return (type, message, details = {}) => {
    const { orderId, ...rest } = details;
    const clean = Object.fromEntries(
      Object.entries(rest)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]),
    );
    listener({
      time: new Date().toISOString(),
      type,
      ...(orderId === undefined ? {} : { orderId: orderId.toString() }),
      message,
      ...(Object.keys(clean).length === 0 ? {} : { details: clean as EventDetails }),
    });
  };
}
