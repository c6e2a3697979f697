/**
 * Mapping the Orders contract's structs to the SDK's types. Not exported from the package.
 */
import { OrderStatus, enumName, parseEnum } from "../enums.js";
import { InputError } from "../errors.js";
import type { Order, Suborder } from "../orderTypes.js";

type RawOrder = Omit<Order, "id" | "status"> & { status: number };
type RawSuborder = Omit<Suborder, "id" | "status"> & { status: number };

/** Maps the contract's struct. */
export function toOrder(id: bigint, raw: RawOrder): Order {
  return { id, ...raw, status: raw.status as OrderStatus };
}

/** Maps the contract's struct. */
export function toSuborder(id: bigint, raw: RawSuborder): Suborder {
  return { id, ...raw, status: raw.status as OrderStatus };
}

/** Done, Error or Canceled, by value or name; anything else is an InputError. */
export function completionStatus(value: unknown, field: string): OrderStatus {
  const status = parseEnum(OrderStatus, value, field);
  if (status !== OrderStatus.Done && status !== OrderStatus.Error && status !== OrderStatus.Canceled) {
    throw new InputError(
      field,
      `a completion status is Done, Error or Canceled, not ${enumName(OrderStatus, status)}`,
    );
  }
  return status;
}
