/**
 * A client's settings for tests that must not touch any node: a deployment at the local node's
 * first addresses and a transport to a port nothing listens on, so a request would fail loudly.
 */
import { http } from "viem";

import { parseDeployment } from "../../src/index.js";

/** A deployment on chain 31337 at the addresses a fresh Hardhat node gives. */
export const OFFLINE_DEPLOYMENT = parseDeployment({
  chainId: 31337,
  contracts: {
    orders: "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9",
    offerRegistry: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
    tcbRegistry: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
    attestationVerifier: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
    paymentToken: "0xdc64a140aa3e981100a9beca4e685f962f0cf6c9",
  },
  blocks: { deployed: 1 },
});

/** Nothing listens at port 9: a client on it must make no call to pass. */
export const OFFLINE_TRANSPORT = http("http://127.0.0.1:9");
