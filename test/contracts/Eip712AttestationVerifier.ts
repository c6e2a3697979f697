import { expect } from "chai";
import type { Signer, TypedDataDomain } from "ethers";
import { network } from "hardhat";

import type { Eip712AttestationVerifier } from "../../types/ethers-contracts/index.js";
import { ATTESTATION_TYPES, attestationDomain, signAttestationProof } from "../helpers/attestation.js";

const { ethers, networkHelpers } = await network.create();

const QUOTE = ethers.hexlify(ethers.toUtf8Bytes("an SGX quote, as produced by the hardware"));
const REPORT_DATA = ethers.keccak256(ethers.toUtf8Bytes("report data"));
const MEASUREMENT = ethers.keccak256(ethers.toUtf8Bytes("MRENCLAVE of the solution runner"));
const abi = ethers.AbiCoder.defaultAbiCoder();

async function domainOf(verifier: Eip712AttestationVerifier): Promise<TypedDataDomain> {
  return attestationDomain((await ethers.provider.getNetwork()).chainId, await verifier.getAddress());
}

/** A proof for this file's quote, report data and measurement unless others are given. */
function signProof(
  signer: Signer,
  domain: TypedDataDomain,
  fields: { quote?: string; reportData?: string; measurement?: string; expiry: bigint },
): Promise<string> {
  return signAttestationProof(signer, domain, {
    quote: fields.quote ?? QUOTE,
    reportData: fields.reportData ?? REPORT_DATA,
    measurement: fields.measurement ?? MEASUREMENT,
    expiry: fields.expiry,
  });
}

async function deployVerifier() {
  const [admin, service, stranger, otherService] = await ethers.getSigners();
  const verifier = await ethers.deployContract("Eip712AttestationVerifier", [admin.address]);
  await verifier.connect(admin).setSigner(service.address, true);
  const domain = await domainOf(verifier);
  const expiry = BigInt(await networkHelpers.time.latest()) + 3600n;
  return { verifier, admin, service, stranger, otherService, domain, expiry };
}

describe("Eip712AttestationVerifier", function () {
  describe("constructor", function () {
    it("gives the admin DEFAULT_ADMIN_ROLE and SIGNER_ADMIN_ROLE", async function () {
      const { verifier, admin, stranger } = await networkHelpers.loadFixture(deployVerifier);
      const signerAdminRole = await verifier.SIGNER_ADMIN_ROLE();
      expect(signerAdminRole, "SIGNER_ADMIN_ROLE").to.equal(ethers.id("SIGNER_ADMIN_ROLE"));
      expect(await verifier.hasRole(ethers.ZeroHash, admin.address), "admin has DEFAULT_ADMIN_ROLE").to.equal(
        true,
      );
      expect(await verifier.hasRole(signerAdminRole, admin.address), "admin has SIGNER_ADMIN_ROLE").to.equal(
        true,
      );
      expect(await verifier.hasRole(signerAdminRole, stranger.address), "stranger has no role").to.equal(
        false,
      );
    });

    it("uses the EIP-712 domain TeeMarketplaceAttestation, version 1", async function () {
      const { verifier, domain } = await networkHelpers.loadFixture(deployVerifier);
      const eip712Domain = await verifier.eip712Domain();
      expect(eip712Domain.name, "domain name").to.equal("TeeMarketplaceAttestation");
      expect(eip712Domain.version, "domain version").to.equal("1");
      expect(eip712Domain.chainId, "domain chain id").to.equal(domain.chainId);
      expect(eip712Domain.verifyingContract, "domain verifying contract").to.equal(domain.verifyingContract);
    });
  });

  describe("setSigner", function () {
    it("allows and disallows a signer and emits AttestationSignerSet", async function () {
      const { verifier, admin, otherService } = await networkHelpers.loadFixture(deployVerifier);
      expect(await verifier.isSigner(otherService.address), "isSigner before").to.equal(false);
      await expect(verifier.connect(admin).setSigner(otherService.address, true))
        .to.emit(verifier, "AttestationSignerSet")
        .withArgs(otherService.address, true);
      expect(await verifier.isSigner(otherService.address), "isSigner after allowing").to.equal(true);
      await expect(verifier.connect(admin).setSigner(otherService.address, false))
        .to.emit(verifier, "AttestationSignerSet")
        .withArgs(otherService.address, false);
      expect(await verifier.isSigner(otherService.address), "isSigner after disallowing").to.equal(false);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without SIGNER_ADMIN_ROLE", async function () {
      const { verifier, stranger } = await networkHelpers.loadFixture(deployVerifier);
      await expect(verifier.connect(stranger).setSigner(stranger.address, true))
        .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await verifier.SIGNER_ADMIN_ROLE());
    });
  });

  describe("attestationDigest", function () {
    it("equals the EIP-712 hash of the Attestation struct over the verifier's domain", async function () {
      const { verifier, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
      const value = {
        quoteHash: ethers.keccak256(QUOTE),
        reportData: REPORT_DATA,
        measurement: MEASUREMENT,
        expiry,
      };
      expect(
        await verifier.attestationDigest(value.quoteHash, value.reportData, value.measurement, value.expiry),
        "digest",
      ).to.equal(ethers.TypedDataEncoder.hash(domain, ATTESTATION_TYPES, value));
    });
  });

  describe("verifyAttestation", function () {
    it("returns the measurement and the expiry of an attestation signed by an allowed signer", async function () {
      const { verifier, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
      const proof = await signProof(service, domain, { expiry });
      expect(
        [...(await verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))],
        "measurement, expiry",
      ).to.deep.equal([MEASUREMENT, expiry]);
    });

    it("accepts trailing bytes after the signature", async function () {
      const { verifier, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
      const proof = ethers.concat([await signProof(service, domain, { expiry }), ethers.ZeroHash]);
      expect((await verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))[0], "measurement").to.equal(
        MEASUREMENT,
      );
    });

    it("accepts an expiry one second after the block's time, refuses one at the block's time", async function () {
      const { verifier, service, domain } = await networkHelpers.loadFixture(deployVerifier);
      const now = BigInt(await networkHelpers.time.latest()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(now);
      await networkHelpers.mine();
      const later = await signProof(service, domain, { expiry: now + 1n });
      expect(
        (await verifier.verifyAttestation(QUOTE, REPORT_DATA, later))[1],
        "expiry, a second later",
      ).to.equal(now + 1n);
      const atNow = await signProof(service, domain, { expiry: now });
      await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, atNow))
        .to.be.revertedWithCustomError(verifier, "AttestationExpired")
        .withArgs(now, now);
    });

    it("reverts with AttestationExpired when the expiry has passed", async function () {
      const { verifier, service, domain } = await networkHelpers.loadFixture(deployVerifier);
      const expiry = BigInt(await networkHelpers.time.latest()) - 1n;
      const proof = await signProof(service, domain, { expiry });
      await networkHelpers.time.setNextBlockTimestamp(expiry + 10n);
      await networkHelpers.mine();
      const timestamp = BigInt(await networkHelpers.time.latest());
      await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
        .to.be.revertedWithCustomError(verifier, "AttestationExpired")
        .withArgs(expiry, (t: bigint) => t >= timestamp);
    });

    it("reverts with AttestationSignerNotAllowed for a signer that was never allowed", async function () {
      const { verifier, stranger, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
      const proof = await signProof(stranger, domain, { expiry });
      await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
        .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
        .withArgs(stranger.address);
    });

    it("reverts with AttestationSignerNotAllowed for a signer that was removed", async function () {
      const { verifier, admin, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
      const proof = await signProof(service, domain, { expiry });
      await verifier.connect(admin).setSigner(service.address, false);
      await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
        .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
        .withArgs(service.address);
    });

    describe("rejects a signature over something else (it recovers to another signer)", function () {
      const cases: { name: string; signed: Record<string, string> }[] = [
        {
          name: "other report data",
          signed: { reportData: ethers.keccak256(ethers.toUtf8Bytes("other key")) },
        },
        { name: "another quote", signed: { quote: ethers.hexlify(ethers.toUtf8Bytes("another quote")) } },
        {
          name: "another measurement",
          signed: { measurement: ethers.keccak256(ethers.toUtf8Bytes("other")) },
        },
      ];
      for (const { name, signed } of cases) {
        it(`reverts with AttestationSignerNotAllowed for ${name}`, async function () {
          const { verifier, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
          const signature = await service.signTypedData(domain, ATTESTATION_TYPES, {
            quoteHash: ethers.keccak256(signed.quote ?? QUOTE),
            reportData: signed.reportData ?? REPORT_DATA,
            measurement: signed.measurement ?? MEASUREMENT,
            expiry,
          });
          // The proof claims the real measurement; only the signed content differs.
          const proof = abi.encode(["bytes32", "uint64", "bytes"], [MEASUREMENT, expiry, signature]);
          await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
            .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
            .withArgs((recovered: string) => recovered !== service.address);
        });
      }

      it("reverts with AttestationSignerNotAllowed for another expiry than the signed one", async function () {
        const { verifier, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
        const signed = ethers.AbiCoder.defaultAbiCoder().decode(
          ["bytes32", "uint64", "bytes"],
          await signProof(service, domain, { expiry }),
        );
        const proof = abi.encode(["bytes32", "uint64", "bytes"], [MEASUREMENT, expiry + 1n, signed[2]]);
        await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
          .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
          .withArgs((recovered: string) => recovered !== service.address);
      });

      it("reverts with AttestationSignerNotAllowed for a domain of another chain id", async function () {
        const { verifier, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
        const proof = await signProof(service, { ...domain, chainId: 5611n }, { expiry });
        await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
          .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
          .withArgs((recovered: string) => recovered !== service.address);
      });

      it("reverts with AttestationSignerNotAllowed for a domain of another verifier", async function () {
        const { verifier, admin, service, expiry } = await networkHelpers.loadFixture(deployVerifier);
        const other = await ethers.deployContract("Eip712AttestationVerifier", [admin.address]);
        await other.connect(admin).setSigner(service.address, true);
        const proof = await signProof(service, await domainOf(other), { expiry });
        expect(
          (await other.verifyAttestation(QUOTE, REPORT_DATA, proof))[0],
          "the other verifier accepts it",
        ).to.equal(MEASUREMENT);
        await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
          .to.be.revertedWithCustomError(verifier, "AttestationSignerNotAllowed")
          .withArgs((recovered: string) => recovered !== service.address);
      });
    });

    describe("malformed proofs", function () {
      const word = (value: bigint) => ethers.zeroPadValue(ethers.toBeHex(value), 32);
      const cases: { name: string; proof: () => string }[] = [
        { name: "an empty proof", proof: () => "0x" },
        { name: "a proof shorter than its fixed head", proof: () => ethers.hexlify(new Uint8Array(127)) },
        {
          name: "an expiry wider than 64 bits",
          proof: () => ethers.concat([MEASUREMENT, word(1n << 64n), word(96n), word(0n)]),
        },
        {
          name: "a signature offset other than 0x60",
          proof: () => ethers.concat([MEASUREMENT, word(1n), word(128n), word(0n), word(0n)]),
        },
        {
          name: "a signature length past the end",
          proof: () => ethers.concat([MEASUREMENT, word(1n), word(96n), word(65n), ethers.ZeroHash]),
        },
        {
          name: "a huge signature length",
          proof: () => ethers.concat([MEASUREMENT, word(1n), word(96n), word(ethers.MaxUint256)]),
        },
      ];
      for (const { name, proof } of cases) {
        it(`reverts with AttestationProofMalformed for ${name}`, async function () {
          const { verifier } = await networkHelpers.loadFixture(deployVerifier);
          const bytes = proof();
          await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, bytes))
            .to.be.revertedWithCustomError(verifier, "AttestationProofMalformed")
            .withArgs(ethers.dataLength(bytes));
        });
      }
    });

    describe("malformed signatures", function () {
      it("reverts with ECDSAInvalidSignatureLength for a 64-byte signature", async function () {
        const { verifier, expiry } = await networkHelpers.loadFixture(deployVerifier);
        const proof = abi.encode(["bytes32", "uint64", "bytes"], [MEASUREMENT, expiry, new Uint8Array(64)]);
        await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
          .to.be.revertedWithCustomError(verifier, "ECDSAInvalidSignatureLength")
          .withArgs(64);
      });

      it("reverts with ECDSAInvalidSignature for a signature that recovers no address", async function () {
        const { verifier, expiry } = await networkHelpers.loadFixture(deployVerifier);
        const signature = ethers.concat([ethers.ZeroHash, ethers.ZeroHash, "0x1b"]);
        const proof = abi.encode(["bytes32", "uint64", "bytes"], [MEASUREMENT, expiry, signature]);
        await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof)).to.be.revertedWithCustomError(
          verifier,
          "ECDSAInvalidSignature",
        );
      });

      it("reverts with ECDSAInvalidSignatureS for a malleable (high s) signature", async function () {
        const { verifier, service, domain, expiry } = await networkHelpers.loadFixture(deployVerifier);
        const [, , signature] = abi.decode(
          ["bytes32", "uint64", "bytes"],
          await signProof(service, domain, { expiry }),
        ) as unknown as [string, bigint, string];
        const sig = ethers.Signature.from(signature);
        const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
        const highS = ethers.toBeHex(n - BigInt(sig.s), 32);
        const flipped = ethers.concat([sig.r, highS, sig.v === 27 ? "0x1c" : "0x1b"]);
        const proof = abi.encode(["bytes32", "uint64", "bytes"], [MEASUREMENT, expiry, flipped]);
        await expect(verifier.verifyAttestation(QUOTE, REPORT_DATA, proof))
          .to.be.revertedWithCustomError(verifier, "ECDSAInvalidSignatureS")
          .withArgs(highS);
      });
    });
  });
});
