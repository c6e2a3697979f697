import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";

// Hardhat cannot download compilers on our machines: the npm `solc` package's wasm build is
// used instead. Hardhat imports `path` as a file, so it must be absolute.
const require = createRequire(import.meta.url);
const solcPath = require.resolve("solc/soljson.js");

const deployerAccounts = [configVariable("DEPLOYER_PRIVATE_KEY")];

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatViem],
  solidity: {
    version: "0.8.28",
    path: solcPath,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  paths: {
    tests: { mocha: "test/contracts", solidity: "test/solidity" },
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 256, depth: 60 },
    },
  },
  networks: {
    default: { type: "edr-simulated", chainType: "op" },
    localhost: {
      type: "http",
      chainType: "op",
      url: configVariable("LOCALHOST_RPC_URL", { default: "http://127.0.0.1:8545" }),
    },
    opbnbTestnet: {
      type: "http",
      chainType: "op",
      chainId: 5611,
      url: configVariable("OPBNB_TESTNET_RPC_URL", {
        default: "https://opbnb-testnet-rpc.bnbchain.org",
      }),
      accounts: deployerAccounts,
    },
    opbnb: {
      type: "http",
      chainType: "op",
      chainId: 204,
      url: configVariable("OPBNB_RPC_URL", { default: "https://opbnb-mainnet-rpc.bnbchain.org" }),
      accounts: deployerAccounts,
    },
  },
  chainDescriptors: {
    5611: {
      name: "opBNB Testnet",
      chainType: "op",
      blockExplorers: {
        etherscan: {
          name: "opBNBScan Testnet",
          url: "https://testnet.opbnbscan.com",
          apiUrl: "https://api.etherscan.io/v2/api",
        },
      },
    },
    204: {
      name: "opBNB",
      chainType: "op",
      blockExplorers: {
        etherscan: {
          name: "opBNBScan",
          url: "https://opbnbscan.com",
          apiUrl: "https://api.etherscan.io/v2/api",
        },
      },
    },
  },
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
});
