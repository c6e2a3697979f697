/**
 * `tee-market quotes`: verify a TEE's DCAP quote from a file (spctl's `quotes validate`).
 * The commands as declared (names, options, help); each runs from `../quotes.ts`, loaded only when
 * the command runs, so `--help` loads neither viem nor the SDK.
 */
import type { Command, Group } from "../command.js";
import { QUOTE_DETAILS, QUOTE_OPTIONS } from "../quoteFlags.js";

const implementation = () => import("../quotes.js");

const validate: Command = {
  name: "validate",
  summary: "Verify an Intel TDX or SGX quote from a file to the root, and print what it attests.",
  args: "<quote-file>",
  positionals: { min: 1, max: 1 },
  options: {
    ...QUOTE_OPTIONS,
    "report-data": {
      type: "string",
      value: "<hex32>",
      description: "the 32-byte binding the quote must carry (tee-market tcb report-data prints a TCB's)",
    },
  },
  details: [
    "The file: the quote's raw bytes, or 0x hex text. Without --collateral or --pccs-url the collateral is",
    "fetched from Intel's PCS. Exits 1 when a check fails.",
    ...QUOTE_DETAILS,
  ],
  run: (ctx, input) => implementation().then((m) => m.runValidate(ctx, input)),
};

/** The `quotes` group. */
export const quotesGroup: Group = {
  name: "quotes",
  summary: "Verify TEE quotes (Intel DCAP) from files, trusting only the root.",
  commands: [validate],
};
