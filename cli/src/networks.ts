/**
 * The networks `--network` names: opBNB testnet (5611), opBNB (204) and a local node (31337), each
 * defined here with viem's `defineChain` (viem/chains holds every chain viem knows, and loading it
 * costs more than the whole CLI needs).
 */
import { type Chain, defineChain } from "viem";

/** A network the CLI knows by name. */
export interface NetworkPreset {
  chain: Chain;
  rpcUrl: string;
  /** How often to poll for receipts, in ms. */
  pollingInterval: number;
}

/** The networks `--network` takes. */
export const NETWORKS: Readonly<Record<string, NetworkPreset>> = {
  opbnbTestnet: {
    chain: defineChain({
      id: 5611,
      name: "opBNB Testnet",
      nativeCurrency: { name: "tBNB", symbol: "tBNB", decimals: 18 },
      rpcUrls: { default: { http: ["https://opbnb-testnet-rpc.bnbchain.org"] } },
      blockExplorers: { default: { name: "opBNBScan", url: "https://testnet.opbnbscan.com" } },
    }),
    rpcUrl: "https://opbnb-testnet-rpc.bnbchain.org",
    pollingInterval: 500,
  },
  opbnb: {
    chain: defineChain({
      id: 204,
      name: "opBNB",
      nativeCurrency: { name: "BNB", symbol: "BNB", decimals: 18 },
      rpcUrls: { default: { http: ["https://opbnb-mainnet-rpc.bnbchain.org"] } },
      blockExplorers: { default: { name: "opBNBScan", url: "https://opbnbscan.com" } },
    }),
    rpcUrl: "https://opbnb-mainnet-rpc.bnbchain.org",
    pollingInterval: 500,
  },
  localhost: {
    chain: defineChain({
      id: 31337,
      name: "Hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
    }),
    rpcUrl: "http://127.0.0.1:8545",
    pollingInterval: 100,
  },
};

/** The network used when neither a flag, the config file nor a deployment file names one. */
export const DEFAULT_NETWORK = "opbnbTestnet";
