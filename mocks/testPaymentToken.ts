/**
 * STAND-IN FOR A PAYMENT TOKEN: the open-mint `TestPaymentToken` (contracts/mocks), which the
 * `TestMarketplace` module deploys on test networks. Anyone may mint it, so it is never a real
 * deployment's token and its ABI is not part of the SDK (whose ERC-20 reads use viem's `erc20Abi`).
 * Tests and the demo fund their consumers with it here.
 */
import { readFileSync } from "node:fs";

import type { Abi, Account, Address, Chain, Client, Transport } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";

/** The test token's ABI, from its Hardhat artifact (run `npx hardhat build` first). */
export const testPaymentTokenAbi = (
  JSON.parse(
    readFileSync(
      new URL("../artifacts/contracts/mocks/TestPaymentToken.sol/TestPaymentToken.json", import.meta.url),
      "utf8",
    ),
  ) as { abi: Abi }
).abi;

/**
 * Mints `amount` of the test token at `token` to `to`, sent by `wallet`, and waits for the receipt.
 *
 * @example
 * await mintTestTokens({ wallet: adminWallet, publicClient, token: deployment.contracts.paymentToken, to: alice, amount: 200n * 10n ** 18n });
 * @throws {Error} when the mint reverts (the token is not the open-mint test token).
 */
export async function mintTestTokens(params: {
  wallet: Client<Transport, Chain | undefined, Account>;
  publicClient: Client<Transport, Chain | undefined>;
  token: Address;
  to: Address;
  amount: bigint;
}): Promise<void> {
  const hash = await writeContract(params.wallet, {
    address: params.token,
    abi: testPaymentTokenAbi,
    functionName: "mint",
    args: [params.to, params.amount],
    chain: params.wallet.chain,
    account: params.wallet.account,
  });
  const receipt = await waitForTransactionReceipt(params.publicClient, { hash });
  if (receipt.status !== "success") throw new Error(`minting test tokens reverted: ${hash}`);
}
