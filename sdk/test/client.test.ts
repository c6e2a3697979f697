import { expect } from "chai";
import {
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  encodeFunctionData,
  erc20Abi,
} from "viem";
import { opBNBTestnet } from "viem/chains";

import { InputError, createMarketplaceClient, refillOrderCall, ordersAbi } from "../src/index.js";
import { OFFLINE_DEPLOYMENT, OFFLINE_TRANSPORT } from "./support/offline.js";
import { inputErrorOf } from "./support/rejections.js";

const deployment = OFFLINE_DEPLOYMENT;
const transport = OFFLINE_TRANSPORT;

describe("createMarketplaceClient", function () {
  it("binds every namespace without any RPC call", function () {
    const client = createMarketplaceClient({ publicClient: createPublicClient({ transport }), deployment });
    expect(Object.keys(client), "namespaces").to.deep.equal([
      "context",
      "deployment",
      "providers",
      "offers",
      "slots",
      "orders",
      "suborders",
      "tcb",
      "reports",
      "results",
      "payments",
      "calls",
      "tee",
    ]);
    expect(client.context.logBlockRange, "default log range").to.equal(5000n);
    expect(client.tee.reportDomain(), "report domain").to.deep.equal({
      name: "TeeMarketplaceOrders",
      version: "1",
      chainId: 31337,
      verifyingContract: deployment.contracts.orders,
    });
  });

  it("parses the deployment file's content and checks the log range", function () {
    const { contracts, blocks } = deployment;
    const client = createMarketplaceClient({
      publicClient: createPublicClient({ transport }),
      deployment: JSON.stringify({
        chainId: "31337",
        contracts,
        blocks: { deployed: blocks.deployed.toString() },
      }),
      logBlockRange: 1000,
    });
    expect(client.deployment, "deployment").to.deep.equal(deployment);
    expect(client.context.logBlockRange, "log range").to.equal(1000n);
    const error = inputErrorOf(() =>
      createMarketplaceClient({
        publicClient: createPublicClient({ transport }),
        deployment,
        logBlockRange: 0n,
      }),
    );
    expect(error.field, "field").to.equal("logBlockRange");
  });

  it("refuses a client on another chain than the deployment's, and a wallet without an account", function () {
    const onOtherChain = inputErrorOf(() =>
      createMarketplaceClient({
        publicClient: createPublicClient({ chain: opBNBTestnet, transport }),
        deployment,
      }),
    );
    expect(onOtherChain.field, "field").to.equal("publicClient");
    expect(onOtherChain.message, "message").to.include("chain 5611").and.include("chain 31337");
    const walletOnOtherChain = inputErrorOf(() =>
      createMarketplaceClient({
        publicClient: createPublicClient({ transport }),
        walletClient: createWalletClient({
          account: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
          chain: opBNBTestnet,
          transport,
        }),
        deployment,
      }),
    );
    expect(walletOnOtherChain.field, "field").to.equal("walletClient");
    const noAccount = inputErrorOf(() =>
      createMarketplaceClient({
        publicClient: createPublicClient({ transport }),
        walletClient: createWalletClient({ transport }),
        deployment,
      }),
    );
    expect(noAccount.field, "field").to.equal("walletClient");
    expect(noAccount.message, "message").to.include("account");
  });

  it("refuses a malformed deployment, naming the field", function () {
    const error = inputErrorOf(() =>
      createMarketplaceClient({
        publicClient: createPublicClient({ transport }),
        deployment: { ...deployment, contracts: { ...deployment.contracts, orders: "0x1" } },
      }),
    );
    expect(error.field, "field").to.equal("contracts.orders");
  });

  describe("calls: the writes as data", function () {
    const client = createMarketplaceClient({ publicClient: createPublicClient({ transport }), deployment });
    it("builds { address, abi, functionName, args } with the parameters checked and converted, no wallet, no RPC", function () {
      const call = client.calls.refillOrder({ orderId: "7", amount: 200 });
      expect(call.address, "address").to.equal(deployment.contracts.orders);
      expect(call.abi, "abi").to.equal(ordersAbi);
      expect(call.functionName, "function").to.equal("refillOrder");
      expect(call.args, "args").to.deep.equal([7n, 200n]);
      const data = encodeFunctionData(call);
      expect(decodeFunctionData({ abi: ordersAbi, data }).args, "what a multisig would send").to.deep.equal(
        call.args,
      );
      expect(
        refillOrderCall(client.context, { orderId: 7n, amount: "200" }).args,
        "the standalone builder",
      ).to.deep.equal(call.args);
    });

    it("the approval is an ERC-20 approve of the Orders contract (viem's erc20Abi)", function () {
      const call = client.calls.approvePaymentToken({ amount: 5n });
      expect(call, "approve call").to.deep.equal({
        address: deployment.contracts.paymentToken,
        abi: erc20Abi,
        functionName: "approve",
        args: [deployment.contracts.orders, 5n],
      });
    });

    it("refuses bad input with the write's InputError", function () {
      expect(() => client.calls.cancelOrder({ orderId: 0 }), "order 0")
        .to.throw(InputError)
        .with.property("field", "orderId");
      expect(() => client.calls.setMeasurement({ measurement: "0x12", allowed: true }), "short measurement")
        .to.throw(InputError)
        .with.property("field", "measurement");
    });
  });
});
