/**
 * One assertion that the whole index equals the chain now: every workflow, every order's history
 * (so nothing is missing and nothing counted twice), every slot's open-order count, every balance
 * and every provider's offer count, the counters a replayed event would double.
 */
import { expect } from "chai";

import type { IndexerClient } from "@tee-marketplace/sdk/indexer";
import { slotFromRow } from "@tee-marketplace/sdk/indexer";

import type { Marketplace } from "../../../sdk/test/support/marketplace.js";
import { type ChainState, readChain } from "./chain.js";

/**
 * Asserts that the index equals the chain.
 *
 * @param client The indexer's client (the index must have reached the chain's head).
 * @param m The marketplace.
 * @param label What is being checked, for the messages.
 * @returns The chain's state, read for the comparison.
 */
export async function expectIndexEqualsChain(
  client: IndexerClient,
  m: Marketplace,
  label: string,
): Promise<ChainState> {
  const chain = await readChain(m);
  const { workflows } = await client.orders.list({ limit: 1000 });
  expect(workflows, `${label}: workflows`).to.deep.equal([...chain.workflows].reverse());
  const events = await client.sql("SELECT count(*) AS n FROM order_events");
  expect(String(events[0]?.["n"]), `${label}: order events`).to.equal(String(chain.events.length));
  for (const { order } of chain.workflows) {
    expect(
      await client.orders.history({ orderId: order.id }),
      `${label}: history of ${order.id}`,
    ).to.deep.equal(chain.events.filter((event) => event.orderId === order.id));
  }
  const slots = await client.sql("SELECT * FROM slots ORDER BY id");
  expect(
    slots.map((row) => slotFromRow(client.context.url, row)),
    `${label}: slots`,
  ).to.deep.equal(chain.slots);
  for (const row of await client.sql("SELECT account, balance FROM balances")) {
    const { withdrawable } = await m.as(row["account"] as `0x${string}`).payments.balance();
    expect(BigInt(row["balance"] as string), `${label}: balance of ${String(row["account"])}`).to.equal(
      withdrawable,
    );
  }
  for (const row of await client.sql("SELECT authority, offer_count FROM providers")) {
    const authority = row["authority"] as `0x${string}`;
    const provider = await m.reader.providers.get({ authority });
    const { offers } = await client.offers.list({ provider: authority, limit: 1000 });
    expect([Number(row["offer_count"]), offers.length], `${label}: offers of ${authority}`).to.deep.equal([
      chain.offers.filter((offer) => offer.provider === provider.authority).length,
      chain.offers.filter((offer) => offer.provider === provider.authority).length,
    ]);
  }
  return chain;
}
