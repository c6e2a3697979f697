/**
 * `tee-market offers download-content`: the content of a Solution or Data offer whose provider made
 * it public, a resource file in the offer's info (`resultResource`), downloaded and checked against
 * the offer's current content hash (spctl's `offers download-content`).
 */
import path from "node:path";

import {
  ContentHashMismatchError,
  OfferType,
  StateError,
  enumName,
  toResourceFile,
} from "@tee-marketplace/sdk";
import { downloadResource, progressReporter } from "@tee-marketplace/sdk/node";

import { flag, idArg, optional, positional } from "./args.js";
import type { CommandContext, CommandInput } from "./command.js";
import { type CommandResult, fields } from "./output.js";

/** The public resource in an offer's info: an object, or its JSON text (as spctl's offer files hold it). */
function publicResource(info: unknown, offerId: bigint): unknown {
  const value =
    typeof info === "object" && info !== null
      ? (info as Record<string, unknown>)["resultResource"]
      : undefined;
  if (value === undefined || value === null || value === "") {
    throw new StateError(
      `Offer ${offerId}'s content is not public: its info has no resultResource. Ask its provider for the resource file.`,
    );
  }
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new StateError(
      `Offer ${offerId}'s resultResource is not a resource file (not JSON); ask its provider.`,
    );
  }
}

/** `offers download-content`. */
export async function runDownloadContent(ctx: CommandContext, input: CommandInput): Promise<CommandResult> {
  const offerId = idArg(positional(input, 0), "<offerId>", "an offer");
  const saveTo = optional(input, "save-to") ?? ".";
  const { client } = await ctx.reader();
  const [offer, { info }] = await Promise.all([
    client.offers.get({ offerId }),
    client.offers.getInfo({ offerId }),
  ]);
  if (offer.offerType !== OfferType.Solution && offer.offerType !== OfferType.Data) {
    throw new StateError(
      `Offer ${offerId} is a ${enumName(OfferType, offer.offerType)} offer: only Solution and Data offers have content.`,
    );
  }
  const resource = toResourceFile(publicResource(info, offerId), "resultResource");
  if (resource.hash !== offer.contentHash) {
    throw new ContentHashMismatchError({
      expected: offer.contentHash,
      actual: resource.hash,
      what: `The public resource of offer ${offerId}`,
      hint: `It describes other content than the offer's version ${offer.version}; ask its provider to update the offer's info.`,
    });
  }
  const downloaded = await downloadResource(resource, path.resolve(ctx.io.cwd, saveTo), {
    unpack: flag(input, "unpack"),
    onProgress: progressReporter({ output: ctx.io.stderr, label: `Downloading offer ${offerId}'s content` }),
  });
  return {
    text: [
      `The content of offer ${offerId} was downloaded to ${path.relative(ctx.io.cwd, downloaded.path) || downloaded.path}`,
      ...fields([
        ["sha256", `${downloaded.hash.slice(2)} (the offer's content hash: checked)`],
        ["bytes", String(downloaded.bytes)],
        ["version", String(offer.version)],
      ]),
    ].join("\n"),
    json: {
      offerId,
      path: downloaded.path,
      hash: downloaded.hash,
      bytes: downloaded.bytes,
      version: offer.version,
    },
  };
}
