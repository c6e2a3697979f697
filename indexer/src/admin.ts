/**
 * Who administers what: the attestation-service signers of the verifier, and the roles of the TCB
 * registry and the verifier (OpenZeppelin's `AccessControl` events). `EIP712DomainChanged` is not
 * indexed: both contracts' EIP-712 domains are fixed at deployment and never emit it.
 */
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { attestationSigner, role } from "ponder:schema";
import type { Address, Hex } from "viem";

ponder.on("AttestationVerifier:AttestationSignerSet", async ({ event, context }) => {
  const { signer, allowed } = event.args;
  await context.db
    .insert(attestationSigner)
    .values({ signer, allowed, blockNumber: event.block.number })
    .onConflictDoUpdate({ allowed, blockNumber: event.block.number });
});

async function setRole(
  context: Context,
  row: { contract: Address; role: Hex; account: Hex; granted: boolean; blockNumber: bigint; admin: boolean },
): Promise<void> {
  const { admin, ...values } = row;
  const id = `${row.contract.toLowerCase()}:${row.role}:${admin ? "admin" : row.account.toLowerCase()}`;
  await context.db
    .insert(role)
    .values({ id, ...values })
    .onConflictDoUpdate({ account: row.account, granted: row.granted, blockNumber: row.blockNumber });
}

for (const contract of ["TcbRegistry", "AttestationVerifier"] as const) {
  ponder.on(`${contract}:RoleGranted`, async ({ event, context }) => {
    const { role: granted, account } = event.args;
    await setRole(context, {
      contract: event.log.address,
      role: granted,
      account,
      granted: true,
      blockNumber: event.block.number,
      admin: false,
    });
  });
  ponder.on(`${contract}:RoleRevoked`, async ({ event, context }) => {
    const { role: revoked, account } = event.args;
    await setRole(context, {
      contract: event.log.address,
      role: revoked,
      account,
      granted: false,
      blockNumber: event.block.number,
      admin: false,
    });
  });
  ponder.on(`${contract}:RoleAdminChanged`, async ({ event, context }) => {
    const { role: changed, newAdminRole } = event.args;
    await setRole(context, {
      contract: event.log.address,
      role: changed,
      account: newAdminRole,
      granted: true,
      blockNumber: event.block.number,
      admin: true,
    });
  });
}
