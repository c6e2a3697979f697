import { expect } from "chai";
import fc from "fast-check";
import { Wallet } from "ethers";
import { network } from "hardhat";

import {
  DATASET_HASH,
  OrderStatus,
  RuntimeType,
  SOLUTION_HASH,
  TCB_LIFETIME,
  WRONG_HASH,
  marketplaceFixtures,
  reportTypes,
  storyReport,
  type Report,
} from "../helpers/marketplace.js";

const { ethers, networkHelpers } = await network.create();
const fx = marketplaceFixtures(ethers, networkHelpers);

describe("Orders", function () {
  describe("publishOrderReport", function () {
    it("stores the report's hash and block and emits the full report with its TCB", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      const report = storyReport(m.orderId, m.tcbId);
      const signature = await fx.signReport(m, report);
      const reportHash = await m.orders.orderReportHash(report);
      const tx = m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, signature);
      await expect(tx).to.emit(m.orders, "OrderReportPublished");
      const receipt = await (await tx).wait();
      const event = m.orders.interface.parseLog(receipt!.logs[0])!;
      expect(event.args.reportHash, "event report hash").to.equal(reportHash);
      expect(event.args.signature, "event signature").to.equal(signature);
      expect(
        event.args.report.runtimeInfo.map((e: { hash: string }) => e.hash),
        "event entries",
      ).to.deep.equal([SOLUTION_HASH, DATASET_HASH]);
      const order = await m.orders.getOrder(m.orderId);
      const orderFields = m.orders.interface
        .getFunction("getOrder")!
        .outputs[0].components!.map((c) => c.name);
      expect(orderFields, "only the block is stored, not the hash")
        .to.include("reportBlock")
        .and.not.include("reportHash");
      expect(event.args.tcbId, "event TCB").to.equal(m.tcbId);
      expect(order.reportBlock, "stored block").to.equal(BigInt(receipt!.blockNumber));
    });

    it("emits the report and signature the contract checked, however the call encodes them", async function () {
      // OrderReportPublished carries the call's own encoding of the report and signature: an
      // enclave that encodes the call oddly (the arguments further on, a word in between, bytes
      // after the end) still emits what the contract hashed and checked.
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      const report = storyReport(m.orderId, m.tcbId);
      const signature = await fx.signReport(m, report);
      const canonical = m.orders.interface.encodeFunctionData("publishOrderReport", [
        m.orderId,
        report,
        signature,
      ]);
      const word = (i: number) => canonical.slice(10 + 64 * i, 10 + 64 * (i + 1));
      const shifted = (i: number) => (BigInt(`0x${word(i)}`) + 32n).toString(16).padStart(64, "0");
      const data =
        `${canonical.slice(0, 10)}${word(0)}${shifted(1)}${shifted(2)}${"ff".repeat(32)}` +
        `${canonical.slice(10 + 64 * 3)}${"ee".repeat(5)}`;
      const receipt = await (
        await m.teeKey.sendTransaction({ to: await m.orders.getAddress(), data })
      ).wait();
      const [event] = receipt!.logs
        .map((log) => m.orders.interface.parseLog(log))
        .filter((log) => log?.name === "OrderReportPublished");
      expect(event!.args.reportHash, "report hash").to.equal(await m.orders.orderReportHash(report));
      const emitted = m.orders.interface.encodeFunctionData("publishOrderReport", [
        m.orderId,
        event!.args.report,
        event!.args.signature,
      ]);
      expect(emitted, "emitted report and signature, encoded canonically").to.equal(canonical);

      // A field the contract refuses on the way in (a uint64 with dirty high bits) never reaches the
      // event: the call reverts.
      const createdAt = 10 + 64 * 3 + 64 * 2;
      const dirty = `${canonical.slice(0, createdAt)}ff${canonical.slice(createdAt + 2)}`;
      const fresh = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      await expect(
        fresh.teeKey.sendTransaction({ to: await fresh.orders.getAddress(), data: dirty }),
        "dirty uint64",
      ).to.revert(ethers);
    });

    it("matches the EIP-712 digest an independent encoder computes", async function () {
      const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
      const report = storyReport(m.orderId, m.tcbId);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = {
        name: "TeeMarketplaceOrders",
        version: "1",
        chainId,
        verifyingContract: await m.orders.getAddress(),
      };
      expect(await m.orders.orderReportDigest(report), "digest").to.equal(
        ethers.TypedDataEncoder.hash(domain, reportTypes, report),
      );
      expect(await m.orders.orderReportHash(report), "struct hash").to.equal(
        ethers.TypedDataEncoder.from(reportTypes).hash(report),
      );
    });

    it("accepts a report without Data entries when no data hash was pinned", async function () {
      const m = await networkHelpers.loadFixture(fx.deployBlockedWorkflow);
      await m.orders
        .connect(m.bob)
        .completeSuborder(
          m.suborderId,
          OrderStatus.Done,
          SOLUTION_HASH,
          ethers.ZeroHash,
          m.teeKey.address,
          "0x",
        );
      await m.orders.connect(m.carol).startOrder(m.orderId);
      const report: Report = {
        ...storyReport(m.orderId, m.tcbId),
        runtimeInfo: [storyReport(0n, 0n).runtimeInfo[0]],
      };
      await m.orders
        .connect(m.carolAction)
        .publishOrderReport(m.orderId, report, await fx.signReport(m, report));
    });

    describe("signature and TCB", function () {
      it("reverts with OrderReportSignerMismatch for a key outside the registry", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const report = storyReport(m.orderId, m.tcbId);
        const outsider = Wallet.createRandom();
        const { chainId } = await ethers.provider.getNetwork();
        const signature = await outsider.signTypedData(
          {
            name: "TeeMarketplaceOrders",
            version: "1",
            chainId,
            verifyingContract: await m.orders.getAddress(),
          },
          reportTypes,
          report,
        );
        await expect(m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, signature))
          .to.be.revertedWithCustomError(m.orders, "OrderReportSignerMismatch")
          .withArgs(m.orderId, outsider.address, m.teeKey.address);
      });

      it("reverts with OrderReportSignerMismatch for a signature made for another chain or contract", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const report = storyReport(m.orderId, m.tcbId);
        const { chainId } = await ethers.provider.getNetwork();
        const ordersAddress = await m.orders.getAddress();
        for (const domain of [
          { name: "TeeMarketplaceOrders", version: "1", chainId: 5611n, verifyingContract: ordersAddress },
          {
            name: "TeeMarketplaceOrders",
            version: "1",
            chainId,
            verifyingContract: await m.registry.getAddress(),
          },
        ]) {
          const signature = await m.teeKey.signTypedData(domain, reportTypes, report);
          const signer = ethers.verifyTypedData(
            { name: "TeeMarketplaceOrders", version: "1", chainId, verifyingContract: ordersAddress },
            reportTypes,
            report,
            signature,
          );
          await expect(m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, signature))
            .to.be.revertedWithCustomError(m.orders, "OrderReportSignerMismatch")
            .withArgs(m.orderId, signer, m.teeKey.address);
        }
      });

      it("reverts with OrderReportOrderMismatch for a report of another order", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const report = storyReport(m.orderId + 5n, m.tcbId);
        await expect(
          m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReportOrderMismatch")
          .withArgs(m.orderId, m.orderId + 5n);
      });

      it("reverts with OrderReportTcbNotValid under a revoked TCB", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        await m.tcbRegistry.connect(m.admin).revokeTcb(m.tcbId);
        const report = storyReport(m.orderId, m.tcbId);
        await expect(
          m.orders.connect(m.carol).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReportTcbNotValid")
          .withArgs(m.orderId, m.tcbId);
      });

      it("reverts with OrderReportTcbNotValid under an expired TCB", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        await networkHelpers.time.increase(TCB_LIFETIME);
        const report = storyReport(m.orderId, m.tcbId);
        await expect(
          m.orders.connect(m.carol).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReportTcbNotValid")
          .withArgs(m.orderId, m.tcbId);
      });

      it("accepts a report under a refresh of the enclave's TCB (same key): the approval holds", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const refreshed = await fx.publishTcb(m, m.teeOfferId);
        for (const tcbId of [m.tcbId, refreshed]) {
          const report = storyReport(m.orderId, tcbId);
          await m.orders
            .connect(m.teeKey)
            .publishOrderReport.staticCall(m.orderId, report, await fx.signReport(m, report));
        }
      });

      it("reverts with OrderReportTeeNotApproved when a new enclave of the same offer reports (hole 1)", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        // The provider switched the offer to another enclave after Bob handed his data to the first.
        const [, , , , , , , , , , , newKey] = await ethers.getSigners();
        const newTcbId = await fx.publishTcb(m, m.teeOfferId, { teeKey: newKey.address });
        const report = storyReport(m.orderId, newTcbId);
        const signature = await fx.signReport(m, report, newKey);
        await expect(m.orders.connect(m.carol).publishOrderReport(m.orderId, report, signature))
          .to.be.revertedWithCustomError(m.orders, "OrderReportTeeNotApproved")
          .withArgs(m.orderId, newTcbId, newKey.address, m.teeKey.address);
        // The new enclave is not even an operator of this order.
        await expect(m.orders.connect(newKey).publishOrderReport(m.orderId, report, signature))
          .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
          .withArgs(m.orderId, newKey.address);
      });

      it("reverts with OrderReportTeeNotApproved for a TCB of another provider's offer or no TCB", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const { offerId } = await fx.createFreeOffer(m, m.bob, { offerType: 0 });
        const [, , , , , , , , , , , , otherKey] = await ethers.getSigners();
        const bobs = await fx.publishTcb(m, offerId, { teeKey: otherKey.address, from: m.bob });
        for (const [tcbId, key] of [
          [bobs, otherKey.address],
          [0n, ethers.ZeroAddress],
        ] as const) {
          const report = storyReport(m.orderId, tcbId);
          await expect(
            m.orders.connect(m.carol).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
          )
            .to.be.revertedWithCustomError(m.orders, "OrderReportTeeNotApproved")
            .withArgs(m.orderId, tcbId, key, m.teeKey.address);
        }
      });

      it("reverts with OrderReportSignerMismatch when the provider signs a report naming the enclave's TCB", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const report = storyReport(m.orderId, m.tcbId);
        await expect(
          m.orders
            .connect(m.carol)
            .publishOrderReport(m.orderId, report, await fx.signReport(m, report, m.carol)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReportSignerMismatch")
          .withArgs(m.orderId, m.carol.address, m.teeKey.address);
      });

      it("reverts with ECDSAInvalidSignatureLength for a malformed signature", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const report = storyReport(m.orderId, m.tcbId);
        const signature = await fx.signReport(m, report);
        await expect(
          m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, signature.slice(0, 130)),
        )
          .to.be.revertedWithCustomError(m.orders, "ECDSAInvalidSignatureLength")
          .withArgs(64);
      });
    });

    describe("contents", function () {
      const cases: [
        string,
        (r: Report) => Report,
        string,
        (m: { orderId: bigint; suborderId: bigint }) => unknown[],
      ][] = [
        [
          "a wrong Image hash",
          (r) => ({ ...r, runtimeInfo: [{ ...r.runtimeInfo[0], hash: WRONG_HASH }, r.runtimeInfo[1]] }),
          "OrderReportImageMismatch",
          (m) => [m.orderId, SOLUTION_HASH, WRONG_HASH],
        ],
        [
          "two Image entries",
          (r) => ({ ...r, runtimeInfo: [r.runtimeInfo[0], ...r.runtimeInfo] }),
          "OrderReportImageCount",
          (m) => [m.orderId, 2],
        ],
        [
          "no Image entry",
          (r) => ({ ...r, runtimeInfo: [r.runtimeInfo[1]] }),
          "OrderReportImageCount",
          (m) => [m.orderId, 0],
        ],
        [
          "a missing Data entry",
          (r) => ({ ...r, runtimeInfo: [r.runtimeInfo[0]] }),
          "OrderReportDataMissing",
          (m) => [m.orderId, m.suborderId, DATASET_HASH],
        ],
        [
          "a wrong Data hash",
          (r) => ({ ...r, runtimeInfo: [r.runtimeInfo[0], { ...r.runtimeInfo[1], hash: WRONG_HASH }] }),
          "OrderReportDataMissing",
          (m) => [m.orderId, m.suborderId, DATASET_HASH],
        ],
        [
          "the dataset hash under the Solution type",
          (r) => ({
            ...r,
            runtimeInfo: [r.runtimeInfo[0], { ...r.runtimeInfo[1], runtimeType: RuntimeType.Solution }],
          }),
          "OrderReportDataMissing",
          (m) => [m.orderId, m.suborderId, DATASET_HASH],
        ],
        [
          "33 entries",
          (r) => ({ ...r, runtimeInfo: [...r.runtimeInfo, ...Array(31).fill(r.runtimeInfo[1])] }),
          "OrderReportTooManyEntries",
          () => [33, 32],
        ],
      ];
      for (const [what, mutate, error, args] of cases) {
        it(`reverts with ${error} for ${what}`, async function () {
          const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
          const report = mutate(storyReport(m.orderId, m.tcbId));
          await expect(
            m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
          )
            .to.be.revertedWithCustomError(m.orders, error)
            .withArgs(...args(m));
        });
      }

      it("accepts only reports with one committed Image and every pinned Data hash (fuzzed)", async function () {
        const hashes = [SOLUTION_HASH, DATASET_HASH, WRONG_HASH];
        const entry = fc.record({
          runtimeType: fc.constantFrom(RuntimeType.Image, RuntimeType.Solution, RuntimeType.Data),
          size: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          hash: fc.constantFrom(...hashes),
        });
        await fc.assert(
          fc.asyncProperty(
            fc.array(entry, { maxLength: 6 }),
            fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
            async (entries, created) => {
              const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
              const report: Report = { orderId: m.orderId, tcbId: m.tcbId, created, runtimeInfo: entries };
              const images = entries.filter((e) => e.runtimeType === RuntimeType.Image);
              const valid =
                images.length === 1 &&
                images[0].hash === SOLUTION_HASH &&
                entries.some((e) => e.runtimeType === RuntimeType.Data && e.hash === DATASET_HASH);
              const publish = m.orders
                .connect(m.teeKey)
                .publishOrderReport(m.orderId, report, await fx.signReport(m, report));
              if (valid) await publish;
              else
                await expect(
                  publish,
                  JSON.stringify(entries, (_, v) => (typeof v === "bigint" ? `${v}` : v)),
                ).to.be.revert(ethers);
              expect((await m.orders.getOrder(m.orderId)).reportBlock !== 0n, "report stored").to.equal(
                valid,
              );
            },
          ),
          { numRuns: 60 },
        );
      });
    });

    describe("status and caller", function () {
      it("reverts with OrderReportAlreadyPublished for a second report", async function () {
        const m = await networkHelpers.loadFixture(fx.deployReportedWorkflow);
        await expect(
          m.orders
            .connect(m.teeKey)
            .publishOrderReport(m.orderId, m.report, await fx.signReport(m, m.report)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReportAlreadyPublished")
          .withArgs(m.orderId);
      });

      it("reverts with OrderReportNotProcessing before the order starts", async function () {
        const m = await networkHelpers.loadFixture(fx.deployNewWorkflow);
        const report = storyReport(m.orderId, m.tcbId);
        await expect(
          m.orders.connect(m.teeKey).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderReportNotProcessing")
          .withArgs(m.orderId, OrderStatus.New);
      });

      it("reverts with OrderCallerNotTeeOperator for the consumer", async function () {
        const m = await networkHelpers.loadFixture(fx.deployProcessingWorkflow);
        const report = storyReport(m.orderId, m.tcbId);
        await expect(
          m.orders.connect(m.alice).publishOrderReport(m.orderId, report, await fx.signReport(m, report)),
        )
          .to.be.revertedWithCustomError(m.orders, "OrderCallerNotTeeOperator")
          .withArgs(m.orderId, m.alice.address);
      });
    });
  });
});
