import { expect } from "chai";
import type { TypedDataDomain } from "ethers";
import hre, { network } from "hardhat";

import type { Eip712AttestationVerifier } from "../../types/ethers-contracts/index.js";
import type { ITcbRegistry } from "../../types/ethers-contracts/tcb/TcbRegistry.js";
import { attestationDomain, signAttestationProof } from "../helpers/attestation.js";
import { nextExpiry } from "../helpers/marketplace.js";
import { PROVIDER_INFO, createOffer, dataOffer, teeOffer } from "../helpers/offerRegistry.js";
import {
  MAX_ATTESTATION_PROOF_SIZE,
  MAX_PUBLIC_KEY_SIZE,
  MAX_QUOTE_SIZE,
  MAX_TCB_PROPERTIES_SIZE,
} from "../../sdk/src/abi/protocol.js";

const { ethers, networkHelpers } = await network.create();

/** Any value (for event arguments a test does not pin). */
const anyUint = (value: bigint) => value > 0n;
const anyBytes = (value: string) => value.length > 2;

/** Numeric values of TcbStatus, as in ITcbRegistry.sol. */
const TcbStatus = { Active: 0n, Superseded: 1n, Expired: 2n, Revoked: 3n } as const;

const LIFETIME = 30n * 24n * 3600n;
const MAX_UINT40 = (1n << 40n) - 1n;

const MEASUREMENT = ethers.id("MRENCLAVE of the allowed TEE runtime");
const OTHER_MEASUREMENT = ethers.id("MRENCLAVE of a runtime nobody allowed");
const DEVICE_ID = ethers.id("device-0001");
const QUOTE = ethers.hexlify(ethers.toUtf8Bytes("an SGX quote v4 (stand-in)"));
const PROPERTIES = ethers.hexlify(ethers.toUtf8Bytes('{"cpu":"Xeon","tdx":true}'));
const BENCHMARK = 1234n;

const abi = ethers.AbiCoder.defaultAbiCoder();

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  return (await (await tx).wait())!.gasUsed;
}

/** An uncompressed secp256k1 public key (65 bytes), as a TEE's ECIES key would be. */
function eciesPublicKey(seed: string): string {
  return new ethers.SigningKey(ethers.id(seed)).publicKey;
}

/** `n` deterministic non-zero bytes (the worst case for calldata gas), standing in for a quote. */
function quoteOfSize(n: number): string {
  const out = new Uint8Array(n);
  let block = ethers.getBytes(ethers.id("quote"));
  for (let i = 0; i < n; i++) {
    if (i % 32 === 0 && i > 0) block = ethers.getBytes(ethers.keccak256(block));
    out[i] = block[i % 32] === 0 ? 1 : block[i % 32];
  }
  return ethers.hexlify(out);
}

/** The report data of ITcbRegistry.reportDataFor, computed off-chain for any chain, registry and offer. */
function reportData(
  teeOfferId: bigint,
  teeKey: string,
  publicKey: string,
  chainId: bigint,
  registry: string,
): string {
  return ethers.keccak256(
    abi.encode(
      ["uint256", "address", "uint256", "address", "bytes32"],
      [chainId, registry, teeOfferId, teeKey, ethers.keccak256(publicKey)],
    ),
  );
}

async function verifierDomain(verifier: Eip712AttestationVerifier): Promise<TypedDataDomain> {
  return attestationDomain((await ethers.provider.getNetwork()).chainId, await verifier.getAddress());
}

async function deployRegistry() {
  const [admin, carol, carolAction, bob, service, teeKey, otherTeeKey, stranger] = await ethers.getSigners();

  const verifier = await ethers.deployContract("Eip712AttestationVerifier", [admin.address]);
  await verifier.connect(admin).setSigner(service.address, true);
  // The TCBs live in the offer registry (its base): one contract, seen through both interfaces.
  const offerRegistry = await ethers.deployContract("OfferRegistry", [
    admin.address,
    await verifier.getAddress(),
    LIFETIME,
  ]);
  const registry = await ethers.getContractAt("TcbRegistry", await offerRegistry.getAddress());
  await offerRegistry.connect(carol).registerProvider(PROVIDER_INFO, carolAction.address, carol.address);
  const teeOfferId = await createOffer(offerRegistry, carol, teeOffer());
  await offerRegistry.connect(bob).registerProvider(PROVIDER_INFO, ethers.ZeroAddress, bob.address);
  const dataOfferId = await createOffer(offerRegistry, bob, dataOffer());
  const bobTeeOfferId = await createOffer(offerRegistry, bob, teeOffer());

  await registry.connect(admin).setMeasurement(MEASUREMENT, true);

  const domain = await verifierDomain(verifier);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const registryAddress = await registry.getAddress();
  const publicKey = eciesPublicKey("carol tee 1");

  /** Parameters of publishTcb with a valid attestation, overridable field by field. */
  async function tcbParams(
    overrides: Partial<{
      teeOfferId: bigint;
      teeKey: string;
      publicKey: string;
      quote: string;
      properties: string;
      measurement: string;
      expiry: bigint;
      signedReportData: string;
      domain: TypedDataDomain;
      proof: string;
    }> = {},
  ): Promise<ITcbRegistry.TcbParamsStruct> {
    const key = overrides.teeKey ?? teeKey.address;
    const pk = overrides.publicKey ?? publicKey;
    const quote = overrides.quote ?? QUOTE;
    const offerId = overrides.teeOfferId ?? teeOfferId;
    const proof =
      overrides.proof ??
      (await signAttestationProof(service, overrides.domain ?? domain, {
        quote,
        reportData: overrides.signedReportData ?? reportData(offerId, key, pk, chainId, registryAddress),
        measurement: overrides.measurement ?? MEASUREMENT,
        expiry: overrides.expiry ?? nextExpiry(BigInt(await networkHelpers.time.latest())),
      }));
    return {
      teeOfferId: offerId,
      deviceId: DEVICE_ID,
      teeKey: key,
      publicKey: pk,
      quote,
      benchmark: BENCHMARK,
      properties: overrides.properties ?? PROPERTIES,
      proof,
    };
  }

  return {
    offerRegistry,
    verifier,
    registry,
    admin,
    carol,
    carolAction,
    bob,
    service,
    teeKey,
    otherTeeKey,
    stranger,
    teeOfferId,
    dataOfferId,
    bobTeeOfferId,
    domain,
    chainId,
    registryAddress,
    publicKey,
    tcbParams,
  };
}

/** The fixture with one TCB (id 1) published by Carol for her TEE offer. */
async function deployWithTcb() {
  const fixture = await deployRegistry();
  const tx = await fixture.registry.connect(fixture.carol).publishTcb(await fixture.tcbParams());
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return { ...fixture, publishedBlock: BigInt(receipt!.blockNumber), addedAt: BigInt(block!.timestamp) };
}

describe("TcbRegistry", function () {
  describe("constructor", function () {
    it("sets the roles, the offer registry, the verifier and the lifetime", async function () {
      const { registry, offerRegistry, verifier, admin, stranger } =
        await networkHelpers.loadFixture(deployRegistry);
      const tcbAdminRole = await registry.TCB_ADMIN_ROLE();
      expect(tcbAdminRole, "TCB_ADMIN_ROLE").to.equal(ethers.id("TCB_ADMIN_ROLE"));
      expect(await registry.hasRole(ethers.ZeroHash, admin.address), "admin has DEFAULT_ADMIN_ROLE").to.equal(
        true,
      );
      expect(await registry.hasRole(tcbAdminRole, admin.address), "admin has TCB_ADMIN_ROLE").to.equal(true);
      expect(await registry.hasRole(tcbAdminRole, stranger.address), "stranger has TCB_ADMIN_ROLE").to.equal(
        false,
      );
      expect(await registry.offerRegistry(), "offerRegistry: itself").to.equal(await registry.getAddress());
      expect(await registry.getAddress(), "one contract").to.equal(await offerRegistry.getAddress());
      expect(await registry.attestationVerifier(), "attestationVerifier").to.equal(
        await verifier.getAddress(),
      );
      expect(await registry.tcbLifetime(), "tcbLifetime").to.equal(LIFETIME);
    });

    it("emits AttestationVerifierSet and TcbLifetimeSet", async function () {
      const { verifier, admin } = await networkHelpers.loadFixture(deployRegistry);
      const factory = await ethers.getContractFactory("OfferRegistry");
      const deployed = await factory.deploy(admin.address, verifier, 600n);
      const tx = deployed.deploymentTransaction()!;
      await expect(tx)
        .to.emit(deployed, "AttestationVerifierSet")
        .withArgs(await verifier.getAddress());
      await expect(tx).to.emit(deployed, "TcbLifetimeSet").withArgs(600n);
    });

    it("reverts with TcbVerifierZero for a zero verifier", async function () {
      const { admin } = await networkHelpers.loadFixture(deployRegistry);
      const factory = await ethers.getContractFactory("OfferRegistry");
      await expect(factory.deploy(admin.address, ethers.ZeroAddress, LIFETIME)).to.be.revertedWithCustomError(
        factory,
        "TcbVerifierZero",
      );
    });

    it("reverts with TcbLifetimeZero for a zero lifetime", async function () {
      const { verifier, admin } = await networkHelpers.loadFixture(deployRegistry);
      const factory = await ethers.getContractFactory("OfferRegistry");
      await expect(factory.deploy(admin.address, verifier, 0n)).to.be.revertedWithCustomError(
        factory,
        "TcbLifetimeZero",
      );
    });
  });

  describe("publishTcb", function () {
    it("stores the TCB and its key, makes it active and emits TcbPublished with the blobs", async function () {
      const { registry, carol, teeKey, teeOfferId, publicKey, tcbParams } =
        await networkHelpers.loadFixture(deployRegistry);
      const params = await tcbParams();
      expect(await registry.connect(carol).publishTcb.staticCall(params), "returned tcbId").to.equal(1n);
      const tx = await registry.connect(carol).publishTcb(params);
      const receipt = (await tx.wait())!;
      const addedAt = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
      const validUntil = addedAt + LIFETIME;
      await expect(tx)
        .to.emit(registry, "TcbPublished")
        .withArgs(
          1n,
          teeOfferId,
          DEVICE_ID,
          teeKey.address,
          0n,
          MEASUREMENT,
          validUntil,
          BENCHMARK,
          publicKey,
          QUOTE,
          PROPERTIES,
        );

      const tcb = await registry.getTcb(1n);
      expect(tcb.teeKey, "teeKey").to.equal(teeKey.address);
      expect(tcb.addedAt, "addedAt").to.equal(addedAt);
      expect(tcb.validUntil, "validUntil").to.equal(validUntil);
      expect(tcb.revokedBlock, "revokedBlock").to.equal(0n);
      expect(tcb.teeOfferId, "teeOfferId").to.equal(teeOfferId);
      expect(tcb.publishedBlock, "publishedBlock").to.equal(BigInt(receipt.blockNumber));
      expect(tcb.benchmark, "benchmark").to.equal(BENCHMARK);
      expect(tcb.measurement, "measurement").to.equal(MEASUREMENT);
      expect(tcb.publicKeyHash, "publicKeyHash").to.equal(ethers.keccak256(publicKey));

      const [key, latest] = await registry.getTeeKey(teeKey.address);
      expect(key.teeOfferId, "key's offer").to.equal(teeOfferId);
      expect(key.latestTcbId, "key's newest TCB").to.equal(1n);
      expect(key.validUntil, "key's validUntil").to.equal(validUntil);
      expect(key.revokedBlock, "key's revokedBlock").to.equal(0n);
      expect(latest.publishedBlock, "newest TCB in the same call").to.equal(BigInt(receipt.blockNumber));

      expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf").to.equal(1n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(teeKey.address);
      const [activeId, active, status] = await registry.getActiveTcb(teeOfferId);
      expect([activeId, active.teeKey, status], "getActiveTcb").to.deep.equal([
        1n,
        teeKey.address,
        TcbStatus.Active,
      ]);
      expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Active);
      expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(true);
      expect(await registry.isTeeKeyValid(teeKey.address), "isTeeKeyValid").to.equal(true);
      expect([...(await registry.tcbKeyState(1n))], "tcbKeyState").to.deep.equal([teeKey.address, true]);
    });

    it("accepts the provider's action account as caller", async function () {
      const { registry, carolAction, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(carolAction).publishTcb(await tcbParams())).to.emit(
        registry,
        "TcbPublished",
      );
    });

    it("refuses an attestation that expires at the block's time, accepts one a second later", async function () {
      const { registry, verifier, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
      const now = BigInt(await networkHelpers.time.latest());
      const atBlock = await tcbParams({ expiry: now + 100n });
      await networkHelpers.time.setNextBlockTimestamp(now + 100n);
      await expect(registry.connect(carol).publishTcb(atBlock))
        .to.be.revertedWithCustomError(verifier, "AttestationExpired")
        .withArgs(now + 100n, now + 100n);
      const oneLater = await tcbParams({ expiry: now + 102n });
      await networkHelpers.time.setNextBlockTimestamp(now + 101n);
      await expect(registry.connect(carol).publishTcb(oneLater)).to.emit(registry, "TcbPublished");
      expect((await registry.getTcb(1n)).validUntil, "valid for the attestation's last second").to.equal(
        now + 102n,
      );
    });

    describe("validity never exceeds the attestation's expiry", function () {
      it("takes the attestation's expiry when it comes before now + lifetime", async function () {
        const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const now = BigInt(await networkHelpers.time.latest());
        const expiry = now + LIFETIME - 10n;
        await registry.connect(carol).publishTcb(await tcbParams({ expiry }));
        expect((await registry.getTcb(1n)).validUntil, "validUntil").to.equal(expiry);
      });

      it("takes now + lifetime when the attestation lasts longer", async function () {
        const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const now = BigInt(await networkHelpers.time.latest());
        const params = await tcbParams({ expiry: now + LIFETIME + 10n });
        await networkHelpers.time.setNextBlockTimestamp(now + 1n);
        await registry.connect(carol).publishTcb(params);
        expect((await registry.getTcb(1n)).validUntil, "validUntil").to.equal(now + 1n + LIFETIME);
      });

      it("saturates validUntil at the largest uint40 for a huge lifetime and expiry", async function () {
        const { registry, admin, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await registry.connect(admin).setTcbLifetime(MAX_UINT40);
        await registry.connect(carol).publishTcb(await tcbParams({ expiry: 2n ** 64n - 1n }));
        expect((await registry.getTcb(1n)).validUntil, "validUntil").to.equal(MAX_UINT40);
        expect(
          (await registry.getTeeKey(await registry.getTcb(1n).then((t) => t.teeKey)))[0].attestedUntil,
          "attestedUntil",
        ).to.equal(2n ** 64n - 1n);
        expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Active);
      });
    });

    describe("gas", function () {
      // Coverage instrumentation adds gas to every statement: the budgets hold for the real bytecode.
      before(function () {
        if (hre.globalOptions.coverage) this.skip();
      });

      // A 5,000-byte quote costs ~24.5 gas per byte in all (calldata 16, log 8, hashing and copies):
      // ~122k of the budget. A TCB stores four words and a new key's record; the first TCB of an
      // offer also creates the offer's active word, a superseding one updates it; a refresh of the
      // same key updates the key's record instead of creating it.
      it("uses at most 310k gas for a new enclave superseding the offer's TCB (first: 330k, refresh: 300k)", async function () {
        const { registry, carolAction, tcbParams, otherTeeKey } =
          await networkHelpers.loadFixture(deployRegistry);
        const quote = quoteOfSize(5000);
        const first = await gasOf(registry.connect(carolAction).publishTcb(await tcbParams({ quote })));
        const publicKey = eciesPublicKey("carol tee 2");
        const next = await gasOf(
          registry
            .connect(carolAction)
            .publishTcb(await tcbParams({ quote, publicKey, teeKey: otherTeeKey.address })),
        );
        const refresh = await gasOf(
          registry
            .connect(carolAction)
            .publishTcb(await tcbParams({ quote, publicKey, teeKey: otherTeeKey.address })),
        );
        expect(first, "publishTcb gas, first TCB of the offer, 5,000-byte quote").to.be.at.most(330_000n);
        expect(next, "publishTcb gas, a new key superseding, 5,000-byte quote").to.be.at.most(310_000n);
        expect(refresh, "publishTcb gas, the same key refreshed, 5,000-byte quote").to.be.at.most(300_000n);
      });
    });

    describe("size caps", function () {
      const cases = [
        { input: "quote", max: MAX_QUOTE_SIZE },
        { input: "publicKey", max: MAX_PUBLIC_KEY_SIZE },
        { input: "properties", max: MAX_TCB_PROPERTIES_SIZE },
        { input: "proof", max: MAX_ATTESTATION_PROOF_SIZE },
      ] as const;
      for (const { input, max } of cases) {
        it(`reverts with InputTooLarge when ${input} is ${max + 1} bytes`, async function () {
          const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
          const tooLarge = ethers.hexlify(new Uint8Array(max + 1).fill(0xab));
          await expect(registry.connect(carol).publishTcb(await tcbParams({ [input]: tooLarge })))
            .to.be.revertedWithCustomError(registry, "InputTooLarge")
            .withArgs(input, max + 1, max);
        });
      }

      it("accepts a quote of exactly MAX_QUOTE_SIZE bytes", async function () {
        const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const quote = quoteOfSize(MAX_QUOTE_SIZE);
        await expect(registry.connect(carol).publishTcb(await tcbParams({ quote }))).to.emit(
          registry,
          "TcbPublished",
        );
      });
    });

    describe("caller and offer", function () {
      it("reverts with TcbCallerNotAuthorized for a stranger", async function () {
        const { registry, stranger, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(stranger).publishTcb(await tcbParams()))
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, stranger.address);
      });

      it("reverts with TcbCallerNotAuthorized for another provider", async function () {
        const { registry, bob, teeOfferId, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(bob).publishTcb(await tcbParams()))
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, bob.address);
      });

      it("reverts with TcbOfferNotTee for a Data offer", async function () {
        const { registry, bob, dataOfferId, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(bob).publishTcb(await tcbParams({ teeOfferId: dataOfferId })))
          .to.be.revertedWithCustomError(registry, "TcbOfferNotTee")
          .withArgs(dataOfferId);
      });

      it("reverts with the offer registry's OfferNotFound for an unknown offer", async function () {
        const { registry, offerRegistry, carol, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(carol).publishTcb(await tcbParams({ teeOfferId: 99n })))
          .to.be.revertedWithCustomError(offerRegistry, "OfferNotFound")
          .withArgs(99n);
      });

      it("reverts with TcbTeeKeyZero for a zero TEE key", async function () {
        const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ teeKey: ethers.ZeroAddress })),
        ).to.be.revertedWithCustomError(registry, "TcbTeeKeyZero");
      });
    });

    describe("only the offer's provider decides which enclave serves it (hole 3)", function () {
      it("refuses a TEE key that publishes itself for an offer it does not serve, even with a valid attestation", async function () {
        const { registry, otherTeeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        // The attestation is genuine and names Carol's offer; only Carol did not choose this enclave.
        const params = await tcbParams({
          teeKey: otherTeeKey.address,
          publicKey: eciesPublicKey("intruder"),
        });
        await expect(registry.connect(otherTeeKey).publishTcb(params))
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, otherTeeKey.address);
        expect(await registry.activeTeeKeyOf(teeOfferId), "the offer keeps its enclave").to.not.equal(
          otherTeeKey.address,
        );
      });

      it("lets the offer's active key refresh its own TCB: the same key, a new attestation", async function () {
        const { registry, teeKey, teeOfferId, tcbParams } = await networkHelpers.loadFixture(deployWithTcb);
        await expect(registry.connect(teeKey).publishTcb(await tcbParams()))
          .to.emit(registry, "TcbPublished")
          .withArgs(
            2n,
            teeOfferId,
            DEVICE_ID,
            teeKey.address,
            1n,
            MEASUREMENT,
            anyUint,
            BENCHMARK,
            anyBytes,
            QUOTE,
            PROPERTIES,
          );
        expect((await registry.getTeeKey(teeKey.address))[0].latestTcbId, "the key's newest TCB").to.equal(
          2n,
        );
      });

      it("lets a key the provider authorized publish itself once", async function () {
        const { registry, carol, otherTeeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        await expect(registry.connect(carol).authorizeTeeKey(teeOfferId, otherTeeKey.address, true))
          .to.emit(registry, "TeeKeyAuthorized")
          .withArgs(teeOfferId, otherTeeKey.address, true);
        expect(await registry.isTeeKeyAuthorized(teeOfferId, otherTeeKey.address), "authorized").to.equal(
          true,
        );
        const publicKey = eciesPublicKey("carol tee 2");
        await registry
          .connect(otherTeeKey)
          .publishTcb(await tcbParams({ teeKey: otherTeeKey.address, publicKey }));
        expect(await registry.activeTeeKeyOf(teeOfferId), "the new enclave serves the offer").to.equal(
          otherTeeKey.address,
        );
        expect(await registry.isTeeKeyAuthorized(teeOfferId, otherTeeKey.address), "used up").to.equal(false);
      });

      it("does not let a superseded key take its offer back by itself", async function () {
        const { registry, carol, teeKey, otherTeeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        await registry
          .connect(carol)
          .publishTcb(
            await tcbParams({ teeKey: otherTeeKey.address, publicKey: eciesPublicKey("carol tee 2") }),
          );
        await expect(registry.connect(teeKey).publishTcb(await tcbParams()))
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, teeKey.address);
      });

      it("lets the provider withdraw an authorization before it is used", async function () {
        const { registry, carolAction, otherTeeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        await registry.connect(carolAction).authorizeTeeKey(teeOfferId, otherTeeKey.address, true);
        await expect(registry.connect(carolAction).authorizeTeeKey(teeOfferId, otherTeeKey.address, false))
          .to.emit(registry, "TeeKeyAuthorized")
          .withArgs(teeOfferId, otherTeeKey.address, false);
        await expect(
          registry.connect(otherTeeKey).publishTcb(await tcbParams({ teeKey: otherTeeKey.address })),
        )
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, otherTeeKey.address);
      });

      it("keeps an authorization for one offer from opening another provider's offer", async function () {
        const { registry, bob, otherTeeKey, teeOfferId, bobTeeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        // Bob authorizes the key for his own offer; it still cannot publish for Carol's.
        await registry.connect(bob).authorizeTeeKey(bobTeeOfferId, otherTeeKey.address, true);
        await expect(
          registry.connect(otherTeeKey).publishTcb(await tcbParams({ teeKey: otherTeeKey.address })),
        )
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, otherTeeKey.address);
      });

      describe("authorizeTeeKey", function () {
        it("reverts with TcbCallerNotAuthorized for anyone but the offer's authority or action account", async function () {
          const { registry, bob, stranger, teeKey, otherTeeKey, teeOfferId } =
            await networkHelpers.loadFixture(deployWithTcb);
          for (const caller of [bob, stranger, teeKey, otherTeeKey]) {
            await expect(registry.connect(caller).authorizeTeeKey(teeOfferId, otherTeeKey.address, true))
              .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
              .withArgs(teeOfferId, caller.address);
          }
        });

        it("reverts with TcbOfferNotTee, TcbTeeKeyZero, TcbTeeKeyRevoked and TcbTeeKeyOfOtherOffer", async function () {
          const { registry, carol, bob, teeKey, dataOfferId, bobTeeOfferId, teeOfferId } =
            await networkHelpers.loadFixture(deployWithTcb);
          await expect(registry.connect(bob).authorizeTeeKey(dataOfferId, teeKey.address, true))
            .to.be.revertedWithCustomError(registry, "TcbOfferNotTee")
            .withArgs(dataOfferId);
          await expect(
            registry.connect(carol).authorizeTeeKey(teeOfferId, ethers.ZeroAddress, true),
          ).to.be.revertedWithCustomError(registry, "TcbTeeKeyZero");
          await expect(registry.connect(bob).authorizeTeeKey(bobTeeOfferId, teeKey.address, true))
            .to.be.revertedWithCustomError(registry, "TcbTeeKeyOfOtherOffer")
            .withArgs(teeKey.address, teeOfferId);
          await registry.connect(carol).revokeTcb(1n);
          await expect(registry.connect(carol).authorizeTeeKey(teeOfferId, teeKey.address, true))
            .to.be.revertedWithCustomError(registry, "TcbTeeKeyRevoked")
            .withArgs(teeKey.address, (block: bigint) => block > 0n);
        });
      });
    });

    describe("the attestation names the TEE offer (hole 4)", function () {
      it("refuses Carol's attestation replayed onto Bob's TEE offer, by Bob himself", async function () {
        const { registry, verifier, bob, teeKey, otherTeeKey, bobTeeOfferId, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        // A genuine attestation of a fresh key for Carol's offer, copied by Bob onto his own offer.
        const carols = await tcbParams({ teeKey: otherTeeKey.address, teeOfferId });
        await expect(
          registry.connect(bob).publishTcb({ ...carols, teeOfferId: bobTeeOfferId }),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
        expect(await registry.activeTcbOf(bobTeeOfferId), "Bob's offer has no TCB").to.equal(0n);
        expect(teeKey.address, "the fixture's key is not the one copied").to.not.equal(otherTeeKey.address);
      });

      it("refuses a key that serves one offer for another, even with an attestation naming the other", async function () {
        const { registry, bob, teeKey, bobTeeOfferId, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        await expect(registry.connect(bob).publishTcb(await tcbParams({ teeOfferId: bobTeeOfferId })))
          .to.be.revertedWithCustomError(registry, "TcbTeeKeyOfOtherOffer")
          .withArgs(teeKey.address, teeOfferId);
      });
    });

    describe("an attestation is accepted once, a revoked key never again (hole 2)", function () {
      it("reverts with TcbAttestationReused when the same publishTcb call is sent again", async function () {
        const { registry, carol, teeKey, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const params = await tcbParams();
        await registry.connect(carol).publishTcb(params);
        const [key] = await registry.getTeeKey(teeKey.address);
        await expect(registry.connect(carol).publishTcb(params))
          .to.be.revertedWithCustomError(registry, "TcbAttestationReused")
          .withArgs(teeKey.address, key.attestedUntil, key.attestedUntil);
      });

      it("reverts with TcbAttestationReused for an older attestation of the key after a newer one", async function () {
        const { registry, carol, teeKey, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const now = BigInt(await networkHelpers.time.latest());
        const older = await tcbParams({ expiry: now + 1000n });
        const newer = await tcbParams({ expiry: now + 2000n });
        await registry.connect(carol).publishTcb(newer);
        await expect(registry.connect(carol).publishTcb(older))
          .to.be.revertedWithCustomError(registry, "TcbAttestationReused")
          .withArgs(teeKey.address, now + 1000n, now + 2000n);
        // One second newer is enough.
        await registry.connect(carol).publishTcb(await tcbParams({ expiry: now + 2001n }));
      });

      it("does not undo a revocation when the key or the provider re-sends the identical call", async function () {
        const { registry, admin, carol, teeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const params = await tcbParams();
        await registry.connect(carol).publishTcb(params);
        const revocation = await (await registry.connect(admin).revokeTcb(1n)).wait();
        for (const sender of [teeKey, carol]) {
          await expect(registry.connect(sender).publishTcb(params))
            .to.be.revertedWithCustomError(registry, "TcbTeeKeyRevoked")
            .withArgs(teeKey.address, BigInt(revocation!.blockNumber));
        }
        expect(await registry.isTeeKeyValid(teeKey.address), "key valid").to.equal(false);
        expect(await registry.activeTeeKeyOf(teeOfferId), "offer's active key").to.equal(ethers.ZeroAddress);
      });

      it("refuses a fresh attestation of a revoked key", async function () {
        const { registry, carol, teeKey, tcbParams } = await networkHelpers.loadFixture(deployWithTcb);
        await registry.connect(carol).revokeTcb(1n);
        await expect(registry.connect(carol).publishTcb(await tcbParams()))
          .to.be.revertedWithCustomError(registry, "TcbTeeKeyRevoked")
          .withArgs(teeKey.address, (block: bigint) => block > 0n);
      });
    });
    describe("report data binding", function () {
      it("is keccak256(abi.encode(chainid, registry, teeOfferId, teeKey, keccak256(publicKey)))", async function () {
        const { registry, teeKey, publicKey, chainId, registryAddress, teeOfferId, bobTeeOfferId } =
          await networkHelpers.loadFixture(deployRegistry);
        expect(await registry.reportDataFor(teeOfferId, teeKey.address, publicKey), "reportDataFor").to.equal(
          reportData(teeOfferId, teeKey.address, publicKey, chainId, registryAddress),
        );
        expect(
          await registry.reportDataFor(bobTeeOfferId, teeKey.address, publicKey),
          "another offer, another binding",
        ).to.not.equal(await registry.reportDataFor(teeOfferId, teeKey.address, publicKey));
      });

      it("rejects an attestation of another TEE key submitted for this one", async function () {
        const {
          registry,
          verifier,
          carol,
          teeKey,
          otherTeeKey,
          publicKey,
          chainId,
          registryAddress,
          teeOfferId,
          tcbParams,
        } = await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(
          teeOfferId,
          otherTeeKey.address,
          publicKey,
          chainId,
          registryAddress,
        );
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ teeKey: teeKey.address, signedReportData })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects an attestation of another public key", async function () {
        const { registry, verifier, carol, teeKey, chainId, registryAddress, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(
          teeOfferId,
          teeKey.address,
          eciesPublicKey("other"),
          chainId,
          registryAddress,
        );
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ signedReportData })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects report data bound to another chain id", async function () {
        const { registry, verifier, carol, teeKey, publicKey, registryAddress, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(teeOfferId, teeKey.address, publicKey, 5611n, registryAddress);
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ signedReportData })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects report data bound to another registry", async function () {
        const { registry, verifier, carol, teeKey, publicKey, chainId, stranger, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(teeOfferId, teeKey.address, publicKey, chainId, stranger.address);
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ signedReportData })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects a signature in the domain of another chain id", async function () {
        const { registry, verifier, carol, domain, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ domain: { ...domain, chainId: 5611n } })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects a signature in the domain of another verifier", async function () {
        const { registry, verifier, carol, domain, stranger, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        await expect(
          registry
            .connect(carol)
            .publishTcb(await tcbParams({ domain: { ...domain, verifyingContract: stranger.address } })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });
    });

    describe("attestation", function () {
      it("reverts with TcbMeasurementNotAllowed for a measurement off the allow-list", async function () {
        const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(carol).publishTcb(await tcbParams({ measurement: OTHER_MEASUREMENT })))
          .to.be.revertedWithCustomError(registry, "TcbMeasurementNotAllowed")
          .withArgs(OTHER_MEASUREMENT);
      });

      it("reverts with TcbMeasurementNotAllowed once the measurement is disallowed", async function () {
        const { registry, admin, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await registry.connect(admin).setMeasurement(MEASUREMENT, false);
        await expect(registry.connect(carol).publishTcb(await tcbParams()))
          .to.be.revertedWithCustomError(registry, "TcbMeasurementNotAllowed")
          .withArgs(MEASUREMENT);
      });

      it("reverts with AttestationExpired for an expired attestation", async function () {
        const { registry, verifier, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const expiry = BigInt(await networkHelpers.time.latest()) + 10n;
        const params = await tcbParams({ expiry });
        await networkHelpers.time.setNextBlockTimestamp(expiry + 1n);
        // One second after the expiry: refused (at the expiry itself too: see above).
        await expect(registry.connect(carol).publishTcb(params))
          .to.be.revertedWithCustomError(verifier, "AttestationExpired")
          .withArgs(expiry, expiry + 1n);
      });

      it("reverts with AttestationSignerNotAllowed once the signer is removed", async function () {
        const { registry, verifier, admin, service, carol, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const params = await tcbParams();
        await verifier.connect(admin).setSigner(service.address, false);
        await expect(registry.connect(carol).publishTcb(params))
          .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
          .withArgs(service.address);
      });

      it("reverts with AttestationSignerNotAllowed for a signer that was never allowed", async function () {
        const {
          registry,
          verifier,
          carol,
          stranger,
          domain,
          teeKey,
          publicKey,
          chainId,
          registryAddress,
          teeOfferId,
          tcbParams,
        } = await networkHelpers.loadFixture(deployRegistry);
        const proof = await signAttestationProof(stranger, domain, {
          quote: QUOTE,
          reportData: reportData(teeOfferId, teeKey.address, publicKey, chainId, registryAddress),
          measurement: MEASUREMENT,
          expiry: BigInt(await networkHelpers.time.latest()) + 3600n,
        });
        await expect(registry.connect(carol).publishTcb(await tcbParams({ proof })))
          .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
          .withArgs(stranger.address);
      });

      it("reverts with AttestationProofMalformed for a proof too short to decode", async function () {
        const { registry, verifier, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(carol).publishTcb(await tcbParams({ proof: MEASUREMENT })))
          .to.be.revertedWithCustomError(verifier, "AttestationProofMalformed")
          .withArgs(32);
      });

      it("reverts with ECDSAInvalidSignatureLength for a truncated signature", async function () {
        const { registry, verifier, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const expiry = BigInt(await networkHelpers.time.latest()) + 3600n;
        const proof = abi.encode(["bytes32", "uint64", "bytes"], [MEASUREMENT, expiry, new Uint8Array(64)]);
        await expect(registry.connect(carol).publishTcb(await tcbParams({ proof })))
          .to.be.revertedWithCustomError(verifier, "ECDSAInvalidSignatureLength")
          .withArgs(64);
      });
    });

    describe("supersession", function () {
      it("makes a new enclave's TCB active and the previous one Superseded", async function () {
        const { registry, carol, otherTeeKey, teeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        const publicKey = eciesPublicKey("carol tee 2");
        const tx = registry
          .connect(carol)
          .publishTcb(await tcbParams({ teeKey: otherTeeKey.address, publicKey }));
        await expect(tx)
          .to.emit(registry, "TcbPublished")
          .withArgs(
            2n,
            teeOfferId,
            DEVICE_ID,
            otherTeeKey.address,
            1n,
            MEASUREMENT,
            anyUint,
            BENCHMARK,
            publicKey,
            QUOTE,
            PROPERTIES,
          );
        expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf").to.equal(2n);
        expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(otherTeeKey.address);
        expect(await registry.tcbStatus(1n), "status of the old TCB").to.equal(TcbStatus.Superseded);
        expect(await registry.tcbStatus(2n), "status of the new TCB").to.equal(TcbStatus.Active);
        expect(await registry.isTcbValid(1n), "a superseded TCB stays valid until it expires").to.equal(true);
        expect(await registry.isTeeKeyValid(teeKey.address), "and so does its key").to.equal(true);
      });

      it("keeps the TCBs of different offers apart", async function () {
        const { registry, bob, otherTeeKey, teeOfferId, bobTeeOfferId, teeKey, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        const params = await tcbParams({ teeOfferId: bobTeeOfferId, teeKey: otherTeeKey.address });
        await expect(registry.connect(bob).publishTcb(params))
          .to.emit(registry, "TcbPublished")
          .withArgs(
            2n,
            bobTeeOfferId,
            DEVICE_ID,
            otherTeeKey.address,
            0n,
            MEASUREMENT,
            anyUint,
            BENCHMARK,
            anyBytes,
            QUOTE,
            PROPERTIES,
          );
        expect(await registry.activeTeeKeyOf(teeOfferId), "Carol's offer keeps its key").to.equal(
          teeKey.address,
        );
        expect(await registry.activeTeeKeyOf(bobTeeOfferId), "Bob's offer key").to.equal(otherTeeKey.address);
        expect(await registry.tcbStatus(1n), "Carol's TCB").to.equal(TcbStatus.Active);
      });

      it("extends the key's validity with a refresh, so its older TCB's expiry does not end it", async function () {
        const { registry, teeKey, addedAt, tcbParams } = await networkHelpers.loadFixture(deployWithTcb);
        await networkHelpers.time.increaseTo(addedAt + LIFETIME - 100n);
        await registry.connect(teeKey).publishTcb(await tcbParams());
        await networkHelpers.time.increaseTo(addedAt + LIFETIME + 100n);
        expect(await registry.isTcbValid(1n), "the first TCB expired").to.equal(false);
        expect(await registry.isTeeKeyValid(teeKey.address), "the key is valid through its refresh").to.equal(
          true,
        );
        expect([...(await registry.tcbKeyState(1n))], "tcbKeyState of the old TCB").to.deep.equal([
          teeKey.address,
          true,
        ]);
      });
    });

    describe("expiry", function () {
      it("is valid until the second before validUntil, then Expired, and the offer has no active TEE key", async function () {
        const { registry, teeKey, teeOfferId, addedAt } = await networkHelpers.loadFixture(deployWithTcb);
        const validUntil = addedAt + LIFETIME;
        await networkHelpers.time.increaseTo(validUntil - 1n);
        expect(await registry.isTcbValid(1n), "valid at validUntil - 1").to.equal(true);
        expect(await registry.isTeeKeyValid(teeKey.address), "key valid at validUntil - 1").to.equal(true);
        expect(await registry.activeTeeKeyOf(teeOfferId), "active key at validUntil - 1").to.equal(
          teeKey.address,
        );
        expect(await registry.tcbStatus(1n), "status at validUntil - 1").to.equal(TcbStatus.Active);
        await networkHelpers.time.increaseTo(validUntil);
        expect(await registry.tcbStatus(1n), "tcbStatus at validUntil").to.equal(TcbStatus.Expired);
        expect(await registry.isTcbValid(1n), "isTcbValid at validUntil").to.equal(false);
        expect(await registry.isTeeKeyValid(teeKey.address), "isTeeKeyValid at validUntil").to.equal(false);
        expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf still names it").to.equal(1n);
        expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf at validUntil").to.equal(
          ethers.ZeroAddress,
        );
      });

      it("reports Expired rather than Superseded for an expired, superseded TCB", async function () {
        const { registry, carol, otherTeeKey, tcbParams } = await networkHelpers.loadFixture(deployWithTcb);
        await networkHelpers.time.increase(LIFETIME);
        await registry.connect(carol).publishTcb(await tcbParams({ teeKey: otherTeeKey.address }));
        expect(await registry.tcbStatus(1n), "old TCB").to.equal(TcbStatus.Expired);
        expect(await registry.tcbStatus(2n), "new TCB").to.equal(TcbStatus.Active);
      });

      it("uses the lifetime in force at publication", async function () {
        const { registry, admin, carol, otherTeeKey, addedAt, tcbParams } =
          await networkHelpers.loadFixture(deployWithTcb);
        await registry.connect(admin).setTcbLifetime(60n);
        const receipt = (await (
          await registry.connect(carol).publishTcb(await tcbParams({ teeKey: otherTeeKey.address }))
        ).wait())!;
        const timestamp = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
        expect((await registry.getTcb(1n)).validUntil, "old TCB keeps its validUntil").to.equal(
          addedAt + LIFETIME,
        );
        expect((await registry.getTcb(2n)).validUntil, "new TCB uses the new lifetime").to.equal(
          timestamp + 60n,
        );
      });
    });
  });

  describe("revokeTcb", function () {
    it("lets an admin revoke: the TCB and its key Revoked, the block stored, no active TEE key", async function () {
      const { registry, admin, teeKey, teeOfferId } = await networkHelpers.loadFixture(deployWithTcb);
      const tx = await registry.connect(admin).revokeTcb(1n);
      await expect(tx).to.emit(registry, "TcbRevoked").withArgs(1n, teeKey.address, admin.address);
      const block = BigInt((await tx.wait())!.blockNumber);
      expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Revoked);
      expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(false);
      expect(await registry.isTeeKeyValid(teeKey.address), "isTeeKeyValid").to.equal(false);
      expect((await registry.getTcb(1n)).revokedBlock, "the TCB's revokedBlock").to.equal(block);
      expect((await registry.getTeeKey(teeKey.address))[0].revokedBlock, "the key's revokedBlock").to.equal(
        block,
      );
      expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf still names it").to.equal(1n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(ethers.ZeroAddress);
      expect([...(await registry.tcbKeyState(1n))], "tcbKeyState").to.deep.equal([teeKey.address, false]);
    });

    it("revokes every TCB of the key, the superseded ones too", async function () {
      const { registry, carol, teeKey, tcbParams } = await networkHelpers.loadFixture(deployWithTcb);
      await registry.connect(teeKey).publishTcb(await tcbParams());
      await registry.connect(carol).revokeTcb(1n);
      expect(await registry.tcbStatus(1n), "the superseded TCB revoked").to.equal(TcbStatus.Revoked);
      expect(await registry.tcbStatus(2n), "the refresh revoked with its key").to.equal(TcbStatus.Revoked);
      expect(await registry.isTcbValid(2n), "the refresh not valid").to.equal(false);
    });

    it("leaves the active enclave alone when an older enclave's TCB is revoked", async function () {
      const { registry, carol, otherTeeKey, teeOfferId, tcbParams } =
        await networkHelpers.loadFixture(deployWithTcb);
      await registry.connect(carol).publishTcb(await tcbParams({ teeKey: otherTeeKey.address }));
      await registry.connect(carol).revokeTcb(1n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "the new enclave still serves").to.equal(
        otherTeeKey.address,
      );
      expect(await registry.tcbStatus(2n), "its TCB").to.equal(TcbStatus.Active);
    });

    it("lets the provider authority revoke", async function () {
      const { registry, carol, teeKey } = await networkHelpers.loadFixture(deployWithTcb);
      await expect(registry.connect(carol).revokeTcb(1n))
        .to.emit(registry, "TcbRevoked")
        .withArgs(1n, teeKey.address, carol.address);
    });

    it("lets the provider's action account revoke", async function () {
      const { registry, carolAction, teeKey } = await networkHelpers.loadFixture(deployWithTcb);
      await expect(registry.connect(carolAction).revokeTcb(1n))
        .to.emit(registry, "TcbRevoked")
        .withArgs(1n, teeKey.address, carolAction.address);
    });

    it("reports Revoked before Expired", async function () {
      const { registry, carol } = await networkHelpers.loadFixture(deployWithTcb);
      await registry.connect(carol).revokeTcb(1n);
      await networkHelpers.time.increase(LIFETIME);
      expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Revoked);
    });

    for (const who of ["stranger", "bob", "teeKey"] as const) {
      it(`reverts with TcbCallerCannotRevoke for ${who === "bob" ? "another provider" : `the ${who}`}`, async function () {
        const fixture = await networkHelpers.loadFixture(deployWithTcb);
        const caller = fixture[who];
        await expect(fixture.registry.connect(caller).revokeTcb(1n))
          .to.be.revertedWithCustomError(fixture.registry, "TcbCallerCannotRevoke")
          .withArgs(1n, caller.address);
      });
    }

    it("reverts with TcbTeeKeyRevoked on a second revocation of the key, through any of its TCBs", async function () {
      const { registry, admin, carol, teeKey, tcbParams } = await networkHelpers.loadFixture(deployWithTcb);
      await registry.connect(teeKey).publishTcb(await tcbParams());
      const block = BigInt((await (await registry.connect(carol).revokeTcb(1n)).wait())!.blockNumber);
      for (const tcbId of [1n, 2n]) {
        await expect(registry.connect(admin).revokeTcb(tcbId))
          .to.be.revertedWithCustomError(registry, "TcbTeeKeyRevoked")
          .withArgs(teeKey.address, block);
      }
    });

    it("reverts with TcbNotFound for an unknown TCB", async function () {
      const { registry, admin } = await networkHelpers.loadFixture(deployWithTcb);
      await expect(registry.connect(admin).revokeTcb(2n))
        .to.be.revertedWithCustomError(registry, "TcbNotFound")
        .withArgs(2n);
    });
  });

  describe("admin", function () {
    describe("setMeasurement", function () {
      it("allows and disallows a measurement and emits MeasurementSet", async function () {
        const { registry, admin } = await networkHelpers.loadFixture(deployRegistry);
        expect(await registry.isMeasurementAllowed(OTHER_MEASUREMENT), "before").to.equal(false);
        await expect(registry.connect(admin).setMeasurement(OTHER_MEASUREMENT, true))
          .to.emit(registry, "MeasurementSet")
          .withArgs(OTHER_MEASUREMENT, true);
        expect(await registry.isMeasurementAllowed(OTHER_MEASUREMENT), "after allowing").to.equal(true);
        await expect(registry.connect(admin).setMeasurement(OTHER_MEASUREMENT, false))
          .to.emit(registry, "MeasurementSet")
          .withArgs(OTHER_MEASUREMENT, false);
        expect(await registry.isMeasurementAllowed(OTHER_MEASUREMENT), "after disallowing").to.equal(false);
      });

      it("reverts with AccessControlUnauthorizedAccount for a caller without TCB_ADMIN_ROLE", async function () {
        const { registry, carol } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(carol).setMeasurement(OTHER_MEASUREMENT, true))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(carol.address, await registry.TCB_ADMIN_ROLE());
      });
    });

    describe("setTcbLifetime", function () {
      it("sets the lifetime and emits TcbLifetimeSet", async function () {
        const { registry, admin } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(admin).setTcbLifetime(3600n))
          .to.emit(registry, "TcbLifetimeSet")
          .withArgs(3600n);
        expect(await registry.tcbLifetime(), "tcbLifetime").to.equal(3600n);
      });

      it("reverts with TcbLifetimeZero for zero", async function () {
        const { registry, admin } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(admin).setTcbLifetime(0n)).to.be.revertedWithCustomError(
          registry,
          "TcbLifetimeZero",
        );
      });

      it("reverts with AccessControlUnauthorizedAccount for a caller without TCB_ADMIN_ROLE", async function () {
        const { registry, stranger } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(stranger).setTcbLifetime(3600n))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, await registry.TCB_ADMIN_ROLE());
      });
    });

    describe("setAttestationVerifier", function () {
      it("swaps the verifier: proofs for the old one fail, proofs for the new one pass", async function () {
        const { registry, admin, service, carol, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const oldProofParams = await tcbParams();
        const newVerifier = await ethers.deployContract("Eip712AttestationVerifier", [admin.address]);
        await newVerifier.connect(admin).setSigner(service.address, true);
        await expect(registry.connect(admin).setAttestationVerifier(newVerifier))
          .to.emit(registry, "AttestationVerifierSet")
          .withArgs(await newVerifier.getAddress());
        expect(await registry.attestationVerifier(), "attestationVerifier").to.equal(
          await newVerifier.getAddress(),
        );
        await expect(registry.connect(carol).publishTcb(oldProofParams)).to.be.revertedWithCustomError(
          newVerifier,
          "AttestationSignerNotAllowed",
        );
        const params = await tcbParams({ domain: await verifierDomain(newVerifier) });
        await expect(registry.connect(carol).publishTcb(params)).to.emit(registry, "TcbPublished");
      });

      it("reverts with TcbVerifierZero for the zero address", async function () {
        const { registry, admin } = await networkHelpers.loadFixture(deployRegistry);
        await expect(
          registry.connect(admin).setAttestationVerifier(ethers.ZeroAddress),
        ).to.be.revertedWithCustomError(registry, "TcbVerifierZero");
      });

      it("reverts with AccessControlUnauthorizedAccount for a caller without TCB_ADMIN_ROLE", async function () {
        const { registry, verifier, carol } = await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(carol).setAttestationVerifier(verifier))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(carol.address, await registry.TCB_ADMIN_ROLE());
      });
    });
  });

  describe("views", function () {
    it("getTcb and tcbStatus revert with TcbNotFound for an unknown id", async function () {
      const { registry } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.getTcb(1n)).to.be.revertedWithCustomError(registry, "TcbNotFound").withArgs(1n);
      await expect(registry.tcbStatus(0n))
        .to.be.revertedWithCustomError(registry, "TcbNotFound")
        .withArgs(0n);
    });

    it("answers 'nothing' for unknown TCBs, keys and offers without TCBs", async function () {
      const { registry, teeOfferId, stranger } = await networkHelpers.loadFixture(deployRegistry);
      expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(false);
      expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf").to.equal(0n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(ethers.ZeroAddress);
      expect(await registry.isTeeKeyValid(stranger.address), "isTeeKeyValid").to.equal(false);
      expect([...(await registry.tcbKeyState(7n))], "tcbKeyState").to.deep.equal([ethers.ZeroAddress, false]);
      const [activeId, active, status] = await registry.getActiveTcb(teeOfferId);
      expect([activeId, active.teeKey, status], "getActiveTcb").to.deep.equal([0n, ethers.ZeroAddress, 0n]);
      const [key, latest] = await registry.getTeeKey(stranger.address);
      expect([key.teeOfferId, key.latestTcbId, latest.teeKey], "getTeeKey").to.deep.equal([
        0n,
        0n,
        ethers.ZeroAddress,
      ]);
    });
  });
});
