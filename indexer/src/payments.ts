/**
 * Settlements and withdrawals (`IOrders`): each credit of `PaymentsCredited` is a row of `payments`
 * and adds to the account's balance; `Withdrawn` empties it, as the contract's pull payments do.
 */
import { ponder } from "ponder:registry";
import { balance, payment } from "ponder:schema";

import { recordOrderEvent } from "./lib/history.js";

ponder.on("Orders:PaymentsCredited", async ({ event, context }) => {
  const { orderId, accounts, amounts } = event.args;
  for (const [i, account] of accounts.entries()) {
    const amount = amounts[i] ?? 0n;
    await context.db.insert(payment).values({
      id: `${event.id}:${i}`,
      orderId,
      account,
      amount,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
    });
    await context.db
      .insert(balance)
      .values({ account, credited: amount, withdrawn: 0n, balance: amount })
      .onConflictDoUpdate((row) => ({ credited: row.credited + amount, balance: row.balance + amount }));
  }
  await recordOrderEvent(context, event, { orderId, subjectId: orderId, kind: "PaymentsCredited" });
});

ponder.on("Orders:Withdrawn", async ({ event, context }) => {
  const { account, amount } = event.args;
  await context.db
    .insert(balance)
    .values({ account, credited: 0n, withdrawn: amount, balance: 0n })
    .onConflictDoUpdate((row) => ({ withdrawn: row.withdrawn + amount, balance: row.balance - amount }));
});
