/**
 * The names `--fields` (and `--suborders_fields`) take, per kind of row: shared by the commands'
 * declarations (their help) and implementations (whose field tables are typed by these names, so
 * the two cannot drift apart). spctl's names where it has one.
 */
/** Suborder fields `--suborders_fields` takes (Super Protocol's names), with their JSON names. */
export const SUBORDER_FIELDS = {
  id: "id",
  parent_id: "parentId",
  offer_id: "offerId",
  slot_id: "slotId",
  type: "type",
  status: "status",
  data_hash: "dataHash",
  result_block: "resultBlock",
} as const;
/** A name `--suborders_fields` takes. */
export type SuborderField = keyof typeof SUBORDER_FIELDS;
/** The columns shown without `--suborders_fields`. */
export const DEFAULT_SUBORDER_FIELDS = "id,offer_id,slot_id,type,status";

/** The order fields of `orders list --fields` and `orders get --fields`. */
export const ORDER_FIELD_NAMES = [
  "id",
  "status",
  "offer_id",
  "slot_id",
  "consumer_address",
  "solution_hash",
  "total_deposit",
  "sub_orders_count",
  "blocking_sub_orders",
  "cancelable",
  "started_at",
  "tee_key",
  "offers",
] as const;

/** The provider fields of `providers list --fields` and `providers get --fields`. */
export const PROVIDER_FIELD_NAMES = [
  "address",
  "name",
  "description",
  "authority_account",
  "action_account",
  "token_receiver",
  "info_hash",
  "offers",
] as const;

/** The offer fields of `offers get --fields`. */
export const OFFER_FIELD_NAMES = [
  "id",
  "name",
  "description",
  "type",
  "enabled",
  "provider",
  "content_hash",
  "version",
  "cancelable",
  "auto_complete",
  "slots",
] as const;
