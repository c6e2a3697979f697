/**
 * Where the enclave's quotes come from, chosen at start: Linux's configfs-tsm interface when the
 * machine is a TDX guest, otherwise the stand-in enclave (local and test chains only).
 */
import { InputError } from "@tee-marketplace/sdk";

import type { AgentConfig } from "../config.js";
import { configfsTsmPresent, configfsTsmQuotes } from "./configfsTsm.js";
import type { QuoteSource } from "./quoteSource.js";
import { standInQuotes } from "./standIn.js";

/**
 * The quote source the configuration asks for: `configfs-tsm`, `stand-in`, or with `auto`
 * configfs-tsm when its directory exists and the stand-in otherwise.
 *
 * @param quotes The configuration's `quotes`.
 * @param chainId The deployment's chain.
 * @example
 * const source = await selectQuoteSource(config.quotes, config.deployment.chainId);
 * @throws {InputError} naming `quotes.source` when configfs-tsm is asked for and absent, or the
 * stand-in on a chain that does not allow it; `quotes.standInUrl` when the stand-in is needed and
 * has no URL.
 */
export async function selectQuoteSource(
  quotes: AgentConfig["quotes"],
  chainId: number,
): Promise<QuoteSource> {
  const present = await configfsTsmPresent(quotes.configfsPath);
  if (quotes.source === "configfs-tsm" || (quotes.source === "auto" && present)) {
    if (!present) {
      throw new InputError(
        "quotes.source",
        `is "configfs-tsm" but ${quotes.configfsPath} is not there: run the agent in a TDX guest with Linux 6.7 ` +
          "or later and configfs mounted (mount -t configfs none /sys/kernel/config)",
      );
    }
    return configfsTsmQuotes(quotes.configfsPath);
  }
  if (quotes.standInUrl === undefined) {
    throw new InputError(
      "quotes.standInUrl",
      `${quotes.configfsPath} is not there (not a TDX guest) and no stand-in enclave is configured: ` +
        "run the agent in a TDX guest, or on a local or test chain name the stand-in enclave's URL",
    );
  }
  return standInQuotes(quotes.standInUrl, chainId);
}
