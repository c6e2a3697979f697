/**
 * Blobs read back from events. Not exported from the package.
 */
import { type Hex, hexToString } from "viem";

/** The UTF-8 text of a blob, parsed as JSON when it is JSON. */
export function parseJsonOrText(bytes: Hex): unknown {
  const text = hexToString(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
