import { expect } from "chai";
import type { TypedDataDomain } from "ethers";
import hre, { network } from "hardhat";

import type { Eip712AttestationVerifier } from "../../types/ethers-contracts/index.js";
import type { ITcbRegistry } from "../../types/ethers-contracts/tcb/TcbRegistry.js";
import { attestationDomain, signAttestationProof } from "../helpers/attestation.js";
import { PROVIDER_INFO, createOffer, dataOffer, teeOffer } from "../helpers/offerRegistry.js";

const { ethers, networkHelpers } = await network.create();

/** Numeric values of TcbStatus, as in ITcbRegistry.sol. */
const TcbStatus = { Active: 0n, Superseded: 1n, Expired: 2n, Revoked: 3n } as const;

const LIFETIME = 30n * 24n * 3600n;
const MAX_UINT40 = (1n << 40n) - 1n;
const MAX_QUOTE_SIZE = 16384;
const MAX_PUBLIC_KEY_SIZE = 256;
const MAX_TCB_PROPERTIES_SIZE = 4096;
const MAX_ATTESTATION_PROOF_SIZE = 16384;

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

/** The report data of ITcbRegistry.reportDataFor, computed off-chain for any chain and registry. */
function reportData(teeKey: string, publicKey: string, chainId: bigint, registry: string): string {
  return ethers.keccak256(
    abi.encode(
      ["address", "bytes32", "uint256", "address"],
      [teeKey, ethers.keccak256(publicKey), chainId, registry],
    ),
  );
}

async function verifierDomain(verifier: Eip712AttestationVerifier): Promise<TypedDataDomain> {
  return attestationDomain((await ethers.provider.getNetwork()).chainId, await verifier.getAddress());
}

async function deployRegistry() {
  const [admin, carol, carolAction, bob, service, teeKey, otherTeeKey, stranger] = await ethers.getSigners();

  const offerRegistry = await ethers.deployContract("OfferRegistry");
  await offerRegistry.connect(carol).registerProvider(PROVIDER_INFO, carolAction.address, carol.address);
  const teeOfferId = await createOffer(offerRegistry, carol, teeOffer());
  await offerRegistry.connect(bob).registerProvider(PROVIDER_INFO, ethers.ZeroAddress, bob.address);
  const dataOfferId = await createOffer(offerRegistry, bob, dataOffer());
  const bobTeeOfferId = await createOffer(offerRegistry, bob, teeOffer());

  const verifier = await ethers.deployContract("Eip712AttestationVerifier", [admin.address]);
  await verifier.connect(admin).setSigner(service.address, true);
  const registry = await ethers.deployContract("TcbRegistry", [
    admin.address,
    await offerRegistry.getAddress(),
    await verifier.getAddress(),
    LIFETIME,
  ]);
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
    const proof =
      overrides.proof ??
      (await signAttestationProof(service, overrides.domain ?? domain, {
        quote,
        reportData: overrides.signedReportData ?? reportData(key, pk, chainId, registryAddress),
        measurement: overrides.measurement ?? MEASUREMENT,
        expiry: overrides.expiry ?? BigInt(await networkHelpers.time.latest()) + 3600n,
      }));
    return {
      teeOfferId: overrides.teeOfferId ?? teeOfferId,
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
      expect(await registry.offerRegistry(), "offerRegistry").to.equal(await offerRegistry.getAddress());
      expect(await registry.attestationVerifier(), "attestationVerifier").to.equal(
        await verifier.getAddress(),
      );
      expect(await registry.tcbLifetime(), "tcbLifetime").to.equal(LIFETIME);
    });

    it("emits AttestationVerifierSet and TcbLifetimeSet", async function () {
      const { offerRegistry, verifier, admin } = await networkHelpers.loadFixture(deployRegistry);
      const factory = await ethers.getContractFactory("TcbRegistry");
      const deployed = await factory.deploy(admin.address, offerRegistry, verifier, 600n);
      const tx = deployed.deploymentTransaction()!;
      await expect(tx)
        .to.emit(deployed, "AttestationVerifierSet")
        .withArgs(await verifier.getAddress());
      await expect(tx).to.emit(deployed, "TcbLifetimeSet").withArgs(600n);
    });

    it("reverts with TcbVerifierZero for a zero verifier", async function () {
      const { offerRegistry, admin } = await networkHelpers.loadFixture(deployRegistry);
      const factory = await ethers.getContractFactory("TcbRegistry");
      await expect(
        factory.deploy(admin.address, offerRegistry, ethers.ZeroAddress, LIFETIME),
      ).to.be.revertedWithCustomError(factory, "TcbVerifierZero");
    });

    it("reverts with TcbLifetimeZero for a zero lifetime", async function () {
      const { offerRegistry, verifier, admin } = await networkHelpers.loadFixture(deployRegistry);
      const factory = await ethers.getContractFactory("TcbRegistry");
      await expect(factory.deploy(admin.address, offerRegistry, verifier, 0n)).to.be.revertedWithCustomError(
        factory,
        "TcbLifetimeZero",
      );
    });
  });

  describe("publishTcb", function () {
    it("stores the TCB, makes it active and emits TcbPublished with the blobs", async function () {
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
      expect(tcb.revoked, "revoked").to.equal(false);
      expect(tcb.teeOfferId, "teeOfferId").to.equal(teeOfferId);
      expect(tcb.publishedBlock, "publishedBlock").to.equal(BigInt(receipt.blockNumber));
      expect(tcb.benchmark, "benchmark").to.equal(BENCHMARK);
      expect(tcb.measurement, "measurement").to.equal(MEASUREMENT);
      expect(tcb.publicKeyHash, "publicKeyHash").to.equal(ethers.keccak256(publicKey));

      expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf").to.equal(1n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(teeKey.address);
      expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Active);
      expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(true);
    });

    it("accepts the provider's action account as caller", async function () {
      const { registry, carolAction, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(carolAction).publishTcb(await tcbParams())).to.emit(
        registry,
        "TcbPublished",
      );
    });

    it("accepts the TEE key itself as caller", async function () {
      const { registry, teeKey, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(teeKey).publishTcb(await tcbParams())).to.emit(registry, "TcbPublished");
    });

    it("accepts an attestation on its last second (expiry == block.timestamp)", async function () {
      const { registry, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
      const expiry = BigInt(await networkHelpers.time.latest()) + 100n;
      const params = await tcbParams({ expiry });
      await networkHelpers.time.setNextBlockTimestamp(expiry);
      await expect(registry.connect(carol).publishTcb(params)).to.emit(registry, "TcbPublished");
    });

    describe("gas", function () {
      // Coverage instrumentation adds gas to every statement: the budgets hold for the real bytecode.
      before(function () {
        if (hre.globalOptions.coverage) this.skip();
      });

      // A 5,000-byte quote costs ~24.5 gas per byte in all (calldata 16, log 8, hashing and copies):
      // ~122k of the budget. A TCB stores four words; the first TCB of an offer also creates the
      // offer's active-TCB word (22.1k), a superseding one only updates it (5k). TEEs re-attest as
      // TCBs expire, so the budget applies to a superseding TCB; the first stays close to it.
      it("uses at most 300k gas for a superseding TCB with a 5,000-byte quote (first TCB: 310k)", async function () {
        const { registry, carolAction, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        const quote = quoteOfSize(5000);
        const first = await gasOf(registry.connect(carolAction).publishTcb(await tcbParams({ quote })));
        const publicKey = eciesPublicKey("carol tee 2");
        const next = await gasOf(
          registry.connect(carolAction).publishTcb(await tcbParams({ quote, publicKey })),
        );
        expect(first, "publishTcb gas, first TCB of the offer, 5,000-byte quote").to.be.at.most(310_000n);
        expect(next, "publishTcb gas, superseding TCB, 5,000-byte quote").to.be.at.most(300_000n);
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

      it("reverts with TcbCallerNotAuthorized for a TEE key that is not the one published", async function () {
        const { registry, otherTeeKey, teeOfferId, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        await expect(registry.connect(otherTeeKey).publishTcb(await tcbParams()))
          .to.be.revertedWithCustomError(registry, "TcbCallerNotAuthorized")
          .withArgs(teeOfferId, otherTeeKey.address);
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

    describe("report data binding", function () {
      it("is keccak256(abi.encode(teeKey, keccak256(publicKey), chainid, registry))", async function () {
        const { registry, teeKey, publicKey, chainId, registryAddress } =
          await networkHelpers.loadFixture(deployRegistry);
        expect(await registry.reportDataFor(teeKey.address, publicKey), "reportDataFor").to.equal(
          reportData(teeKey.address, publicKey, chainId, registryAddress),
        );
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
          tcbParams,
        } = await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(otherTeeKey.address, publicKey, chainId, registryAddress);
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ teeKey: teeKey.address, signedReportData })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects an attestation of another public key", async function () {
        const { registry, verifier, carol, teeKey, chainId, registryAddress, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(
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
        const { registry, verifier, carol, teeKey, publicKey, registryAddress, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(teeKey.address, publicKey, 5611n, registryAddress);
        await expect(
          registry.connect(carol).publishTcb(await tcbParams({ signedReportData })),
        ).to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed");
      });

      it("rejects report data bound to another registry", async function () {
        const { registry, verifier, carol, teeKey, publicKey, chainId, stranger, tcbParams } =
          await networkHelpers.loadFixture(deployRegistry);
        const signedReportData = reportData(teeKey.address, publicKey, chainId, stranger.address);
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
          tcbParams,
        } = await networkHelpers.loadFixture(deployRegistry);
        const proof = await signAttestationProof(stranger, domain, {
          quote: QUOTE,
          reportData: reportData(teeKey.address, publicKey, chainId, registryAddress),
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
      it("makes the new TCB active and the previous one Superseded", async function () {
        const { registry, carol, otherTeeKey, teeOfferId, tcbParams } =
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
            (validUntil: bigint) => validUntil > 0n,
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
            (validUntil: bigint) => validUntil > 0n,
            BENCHMARK,
            (pk: string) => pk.length > 2,
            QUOTE,
            PROPERTIES,
          );
        expect(await registry.activeTeeKeyOf(teeOfferId), "Carol's offer keeps its key").to.equal(
          teeKey.address,
        );
        expect(await registry.activeTeeKeyOf(bobTeeOfferId), "Bob's offer key").to.equal(otherTeeKey.address);
        expect(await registry.tcbStatus(1n), "Carol's TCB").to.equal(TcbStatus.Active);
      });
    });

    describe("expiry", function () {
      it("is valid until validUntil, then Expired, and the offer has no active TEE key", async function () {
        const { registry, teeOfferId, addedAt } = await networkHelpers.loadFixture(deployWithTcb);
        await networkHelpers.time.increaseTo(addedAt + LIFETIME - 2n);
        expect(await registry.isTcbValid(1n), "valid before validUntil").to.equal(true);
        await networkHelpers.time.increase(LIFETIME);
        expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Expired);
        expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(false);
        expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf still names it").to.equal(1n);
        expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(ethers.ZeroAddress);
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

      it("saturates validUntil at the largest uint40 for a huge lifetime", async function () {
        const { registry, admin, carol, tcbParams } = await networkHelpers.loadFixture(deployRegistry);
        await registry.connect(admin).setTcbLifetime(MAX_UINT40);
        await registry.connect(carol).publishTcb(await tcbParams());
        expect((await registry.getTcb(1n)).validUntil, "validUntil").to.equal(MAX_UINT40);
        expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Active);
      });
    });
  });

  describe("revokeTcb", function () {
    it("lets an admin revoke: Revoked, not valid, no active TEE key", async function () {
      const { registry, admin, teeOfferId } = await networkHelpers.loadFixture(deployWithTcb);
      await expect(registry.connect(admin).revokeTcb(1n))
        .to.emit(registry, "TcbRevoked")
        .withArgs(1n, admin.address);
      expect(await registry.tcbStatus(1n), "tcbStatus").to.equal(TcbStatus.Revoked);
      expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(false);
      expect((await registry.getTcb(1n)).revoked, "revoked").to.equal(true);
      expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf still names it").to.equal(1n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(ethers.ZeroAddress);
    });

    it("lets the provider authority revoke", async function () {
      const { registry, carol } = await networkHelpers.loadFixture(deployWithTcb);
      await expect(registry.connect(carol).revokeTcb(1n))
        .to.emit(registry, "TcbRevoked")
        .withArgs(1n, carol.address);
    });

    it("lets the provider's action account revoke", async function () {
      const { registry, carolAction } = await networkHelpers.loadFixture(deployWithTcb);
      await expect(registry.connect(carolAction).revokeTcb(1n))
        .to.emit(registry, "TcbRevoked")
        .withArgs(1n, carolAction.address);
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

    it("reverts with TcbAlreadyRevoked on a second revocation", async function () {
      const { registry, admin, carol } = await networkHelpers.loadFixture(deployWithTcb);
      await registry.connect(carol).revokeTcb(1n);
      await expect(registry.connect(admin).revokeTcb(1n))
        .to.be.revertedWithCustomError(registry, "TcbAlreadyRevoked")
        .withArgs(1n);
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

    it("answers 'nothing' for unknown TCBs and offers without TCBs", async function () {
      const { registry, teeOfferId } = await networkHelpers.loadFixture(deployRegistry);
      expect(await registry.isTcbValid(1n), "isTcbValid").to.equal(false);
      expect(await registry.activeTcbOf(teeOfferId), "activeTcbOf").to.equal(0n);
      expect(await registry.activeTeeKeyOf(teeOfferId), "activeTeeKeyOf").to.equal(ethers.ZeroAddress);
    });
  });
});
