/**
 * Where the CLI takes keys from, and where it never does: the variable names, the sentence that
 * says so in messages, and the refusal of keys on the command line (checked before anything else).
 */
import { UsageError } from "./output.js";

/** The environment variable holding a private key. */
export const PRIVATE_KEY_ENV = "TEE_MARKET_PRIVATE_KEY";
/** The environment variable holding the keystore's password. */
export const KEYSTORE_PASSWORD_ENV = "TEE_MARKET_KEYSTORE_PASSWORD";

/** Where keys go, for messages. */
export const WHERE_KEYS_GO =
  `put the key in the ${PRIVATE_KEY_ENV} environment variable, or in an Ethereum v3 keystore file ` +
  `passed with --keystore <file> (password from ${KEYSTORE_PASSWORD_ENV} or a prompt)`;

/** Refuses a private key on the command line before anything else looks at the arguments. */
export function rejectKeyArguments(argv: readonly string[]): void {
  for (const arg of argv) {
    if (/^--?(private[-_]?key|privkey|pk)(=|$)/i.test(arg)) {
      throw new UsageError(
        `${arg.split("=")[0]} is not accepted: a key on the command line ends up in shell history and process lists; ${WHERE_KEYS_GO}`,
      );
    }
  }
}
