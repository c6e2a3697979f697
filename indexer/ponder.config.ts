/**
 * Ponder's config: the deployment's contracts on its chain, from the deployment's first block, with
 * the ABIs the SDK generates from the compiler's output. The offer registry holds the TCBs: its
 * address is listed twice, with its offer events and with its TCB events (the SDK's two ABIs share
 * none). The environment says which deployment,
 * which RPC and which database (`lib/settings.ts`).
 */
import { createConfig } from "ponder";

import { attestationVerifierAbi, offerRegistryAbi, ordersAbi, tcbRegistryAbi } from "@tee-marketplace/sdk";

import { indexerSettings } from "./lib/settings.js";

const settings = indexerSettings(process.env);
const { contracts, blocks } = settings.deployment;
const chain = settings.network;
const startBlock = Number(blocks.deployed);

export default createConfig({
  database: settings.database,
  chains: {
    [chain]: {
      id: settings.deployment.chainId,
      rpc: settings.rpcUrl,
      pollingInterval: settings.pollingInterval,
      ethGetLogsBlockRange: settings.logBlockRange,
    },
  },
  contracts: {
    OfferRegistry: { chain, abi: offerRegistryAbi, address: contracts.offerRegistry, startBlock },
    Orders: { chain, abi: ordersAbi, address: contracts.orders, startBlock },
    TcbRegistry: { chain, abi: tcbRegistryAbi, address: contracts.tcbRegistry, startBlock },
    AttestationVerifier: {
      chain,
      abi: attestationVerifierAbi,
      address: contracts.attestationVerifier,
      startBlock,
    },
  },
});
