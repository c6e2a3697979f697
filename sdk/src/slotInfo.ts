/**
 * Super Protocol's `slot-info.json` (docs/design.md §6) turned into the contract's slot structs
 * (`ISlots.SlotInfo`, `SlotUsage`, `OptionInfo`).
 */
import { PriceType, parseEnum } from "./enums.js";
import { InputError } from "./errors.js";
import { type JsonObject, fieldPath, objectAt, rootObject } from "./internal/fields.js";
import { toUint } from "./validate.js";

/** Resources of a slot (`ISlots.SlotInfo`). `diskUsage`, `ram` and `vram` are in bytes. */
export interface SlotInfo {
  /** CPU cores (uint32). */
  cpuCores: number;
  /** GPU cores (uint32). */
  gpuCores: number;
  /** Disk, in bytes (uint64). */
  diskUsage: bigint;
  /** Memory, in bytes (uint64). */
  ram: bigint;
  /** GPU memory, in bytes (uint64). */
  vram: bigint;
}

/** Price and time limits of a slot (`ISlots.SlotUsage`). */
export interface SlotUsage {
  /** Price in payment-token base units, per hour or fixed (uint96). */
  price: bigint;
  /** How `price` is charged. */
  priceType: PriceType;
  /** Time always charged for (PerHour), and the least an order runs (uint32). */
  minTimeMinutes: number;
  /** Most time charged for; 0 means no maximum (uint32). */
  maxTimeMinutes: number;
}

/** Network options of a slot (`ISlots.OptionInfo`). */
export interface OptionInfo {
  /** Bandwidth, in bits per second (uint64). */
  bandwidth: bigint;
  /** Traffic, in bytes (uint64). */
  traffic: bigint;
  /** Number of external ports (uint32). */
  externalPort: number;
}

/** What `addSlot` and `updateSlot` take besides the ids. */
export interface SlotParams {
  info: SlotInfo;
  usage: SlotUsage;
  option: OptionInfo;
}

/**
 * Reads Super Protocol's `slot-info.json` (parsed, or as JSON text) into the contract's slot
 * structs, checking every number against its Solidity width.
 *
 * - `info.cpuCores`, `info.diskUsage`, `info.ram` are required; `info.gpuCores` and `info.vram`
 *   default to 0.
 * - `usage.price`, `usage.priceType` (`"0"`/`"PerHour"` or `"1"`/`"Fixed"`), `usage.minTimeMinutes`
 *   and `usage.maxTimeMinutes` are required; `maxTimeMinutes` 0 means no maximum, otherwise it must
 *   not be below `minTimeMinutes`.
 * - `option` may be absent (all zeros); when present, `bandwidth`, `traffic` and `externalPort`
 *   are required.
 * - Numbers may be JSON numbers or decimal strings; they must be non-negative integers that fit:
 *   uint32 for cores, minutes and `externalPort`, uint64 for disk, ram, vram, bandwidth and
 *   traffic, uint96 for the price. Write values above 2^53 - 1 as strings.
 *
 * Other fields (`id` in `spctl`'s examples) are ignored.
 *
 * @param json The slot-info.json content: a parsed object or its JSON text.
 * @example
 * parseSlotInfo({
 *   info: { cpuCores: 0, gpuCores: 0, diskUsage: 10485760, ram: 0, vram: 0 },
 *   usage: { maxTimeMinutes: 0, minTimeMinutes: 15000, price: "0", priceType: "1" },
 *   option: { bandwidth: 0, externalPort: 0, traffic: 0 },
 * });
 * // { info: { cpuCores: 0, gpuCores: 0, diskUsage: 10485760n, ram: 0n, vram: 0n },
 * //   usage: { price: 0n, priceType: 1, minTimeMinutes: 15000, maxTimeMinutes: 0 },
 * //   option: { bandwidth: 0n, traffic: 0n, externalPort: 0 } }
 * @throws {InputError} naming the field (`"usage.price"`, `"info.cpuCores"`, ...) when it is
 * missing, not a non-negative integer, too large for its Solidity type, or when the minimum time
 * exceeds a non-zero maximum.
 */
export function parseSlotInfo(json: unknown): SlotParams {
  const raw = rootObject(json, "the slot-info.json object");
  const info = objectAt(raw, "", "info");
  const usage = objectAt(raw, "", "usage");
  const option = objectAt(raw, "", "option", true);

  const minTimeMinutes = uintAt(usage, "usage", "minTimeMinutes", 32);
  const maxTimeMinutes = uintAt(usage, "usage", "maxTimeMinutes", 32);
  if (maxTimeMinutes !== 0n && minTimeMinutes > maxTimeMinutes) {
    throw new InputError(
      "usage.minTimeMinutes",
      `${minTimeMinutes} is more than usage.maxTimeMinutes ${maxTimeMinutes}; lower it, raise the maximum, ` +
        `or set the maximum to 0 (no maximum)`,
    );
  }

  return {
    info: {
      cpuCores: Number(uintAt(info, "info", "cpuCores", 32)),
      gpuCores: Number(uintAt(info, "info", "gpuCores", 32, true)),
      diskUsage: uintAt(info, "info", "diskUsage", 64),
      ram: uintAt(info, "info", "ram", 64),
      vram: uintAt(info, "info", "vram", 64, true),
    },
    usage: {
      price: uintAt(usage, "usage", "price", 96),
      priceType: parseEnum(PriceType, usage["priceType"], "usage.priceType"),
      minTimeMinutes: Number(minTimeMinutes),
      maxTimeMinutes: Number(maxTimeMinutes),
    },
    option:
      option === undefined
        ? { bandwidth: 0n, traffic: 0n, externalPort: 0 }
        : {
            bandwidth: uintAt(option, "option", "bandwidth", 64),
            traffic: uintAt(option, "option", "traffic", 64),
            externalPort: Number(uintAt(option, "option", "externalPort", 32)),
          },
  };
}

function uintAt(parent: JsonObject, base: string, key: string, bits: number, optional = false): bigint {
  const value = parent[key];
  if (optional && value === undefined) return 0n;
  return toUint(value, fieldPath(base, key), { bits });
}
