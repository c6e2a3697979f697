/**
 * The suborder columns `tee-market orders get --suborders_fields` takes: shared by the command's
 * declaration (its help) and its implementation.
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
export type SuborderField = keyof typeof SUBORDER_FIELDS;
/** The columns shown without `--suborders_fields`. */
export const DEFAULT_SUBORDER_FIELDS = "id,offer_id,slot_id,type,status";
