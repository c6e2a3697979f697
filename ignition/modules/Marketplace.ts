/**
 * Ignition modules that deploy the marketplace: the EIP-712 attestation verifier, then the Orders
 * contract, which creates its offer registry in its constructor (the registry holds the TCBs too:
 * `tcbRegistry` is the same contract) so the registry knows its only caller from its first block.
 *
 * - `Marketplace` takes an existing ERC-20 as `paymentToken` (mainnet and any network with a real token).
 * - `TestMarketplace` deploys `TestPaymentToken` (open mint, test networks only) and uses it.
 *
 * Parameters (per network in ignition/parameters/<network>.json):
 * - `attestationSigner` (required): the attestation service's signer, allowed by the verifier.
 * - `tcbLifetime` (seconds, default 30 days), `processingTimeout` (seconds, default 1 day),
 *   `blockedTimeout` (seconds a workflow may wait for its data owners, default 7 days).
 * - `paymentToken` (Marketplace only): the ERC-20 address.
 * The deployer gets the admin roles of the verifier and the TCB registry.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/** Bumped when the deployed contracts or their wiring change; written to deployments/<network>.json. */
export const MODULE_VERSION = "3";

/** Seconds a TCB stays valid when the parameters name no `tcbLifetime` (30 days). */
export const DEFAULT_TCB_LIFETIME = 30 * 24 * 3600;
const DEFAULT_PROCESSING_TIMEOUT = 24 * 3600;
const DEFAULT_BLOCKED_TIMEOUT = 7 * 24 * 3600;

function deployCore(
  m: IgnitionModuleBuilder,
  paymentToken: ContractFuture<string> | ReturnType<IgnitionModuleBuilder["getParameter"]>,
) {
  const admin = m.getAccount(0);
  const verifier = m.contract("Eip712AttestationVerifier", [admin]);
  const orders = m.contract("Orders", [
    paymentToken,
    admin,
    verifier,
    m.getParameter("tcbLifetime", DEFAULT_TCB_LIFETIME),
    m.getParameter("processingTimeout", DEFAULT_PROCESSING_TIMEOUT),
    m.getParameter("blockedTimeout", DEFAULT_BLOCKED_TIMEOUT),
  ]);
  const offerRegistry = m.contractAt("OfferRegistry", m.staticCall(orders, "offerRegistry"));
  const tcbRegistry = m.contractAt("TcbRegistry", m.staticCall(orders, "tcbRegistry"));
  m.call(verifier, "setSigner", [m.getParameter("attestationSigner"), true]);
  return { offerRegistry, verifier, tcbRegistry, orders };
}

export const MarketplaceModule = buildModule("Marketplace", (m) =>
  deployCore(m, m.getParameter("paymentToken")),
);

export const TestMarketplaceModule = buildModule("TestMarketplace", (m) => {
  const paymentToken = m.contract("TestPaymentToken");
  return { paymentToken, ...deployCore(m, paymentToken) };
});
