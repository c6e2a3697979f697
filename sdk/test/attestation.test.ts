import { expect } from "chai";
import { AbiCoder, TypedDataEncoder, keccak256 as ethersKeccak256, verifyTypedData } from "ethers";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Hex, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  type Attestation,
  InputError,
  attestationDigest,
  attestationDomain,
  attestationTypes,
  decodeAttestationProof,
  encodeAttestationProof,
  signAttestation,
  tcbReportData,
  teePublicKeyFromPrivateKey,
} from "../src/index.js";
import { repoRoot } from "./support/paths.js";

const VERIFIER = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const REGISTRY = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const SERVICE_KEY: Hex = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const TEE_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const QUOTE: Hex = "0x030002008100000000000000939a7233f79c4ca9940a0db3957f0607";
const MEASUREMENT: Hex = `0x${"6d".repeat(32)}`;

const ETHERS_TYPES = { Attestation: attestationTypes.Attestation.map((field) => ({ ...field })) };

describe("attestation", function () {
  const domain = attestationDomain(5611, VERIFIER);
  const teeAddress = privateKeyToAccount(TEE_KEY).address;
  const publicKey = teePublicKeyFromPrivateKey(TEE_KEY);

  describe("attestationTypes", function () {
    it("encode exactly the type string of IEip712AttestationVerifier.sol", function () {
      const source = readFileSync(
        path.join(repoRoot, "contracts/interfaces/IEip712AttestationVerifier.sol"),
        "utf8",
      );
      const doc = source.replace(/\n\s*\/\/\/\s*/g, " ");
      const natSpec = /`(Attestation\([^`]*\))`/.exec(doc)?.[1]?.replace(/,\s+/g, ",");
      expect(natSpec, "type string in the NatSpec").to.equal(
        "Attestation(bytes32 quoteHash,bytes32 reportData,bytes32 measurement,uint64 expiry)",
      );
      expect(TypedDataEncoder.from(ETHERS_TYPES).encodeType("Attestation"), "encoded type").to.equal(natSpec);
    });
  });

  describe("attestationDomain", function () {
    it("names the verifier contract on the chain", function () {
      expect(domain, "domain").to.deep.equal({
        name: "TeeMarketplaceAttestation",
        version: "1",
        chainId: 5611,
        verifyingContract: VERIFIER,
      });
      expect(() => attestationDomain(5611, "0x00")).to.throw(InputError, "verifierAddress: ");
    });
  });

  describe("tcbReportData", function () {
    it("equals keccak256(abi.encode(chainId, registry, teeOfferId, teeKey, keccak256(publicKey))) computed with ethers", function () {
      const expected = ethersKeccak256(
        AbiCoder.defaultAbiCoder().encode(
          ["uint256", "address", "uint256", "address", "bytes32"],
          [5611, REGISTRY, 7, teeAddress, ethersKeccak256(publicKey)],
        ),
      );
      expect(
        tcbReportData({ teeKey: teeAddress, publicKey, chainId: 5611, registry: REGISTRY, teeOfferId: 7n }),
        "report data",
      ).to.equal(expected);
    });

    it("changes with the key, the public key, the chain, the registry and the TEE offer", function () {
      const base = tcbReportData({
        teeKey: teeAddress,
        publicKey,
        chainId: 5611,
        registry: REGISTRY,
        teeOfferId: 7n,
      });
      const variants = [
        tcbReportData({ teeKey: REGISTRY, publicKey, chainId: 5611, registry: REGISTRY, teeOfferId: 7n }),
        tcbReportData({
          teeKey: teeAddress,
          publicKey: `${publicKey.slice(0, -2)}00` as Hex,
          chainId: 5611,
          registry: REGISTRY,
          teeOfferId: 7n,
        }),
        tcbReportData({ teeKey: teeAddress, publicKey, chainId: 204n, registry: REGISTRY, teeOfferId: 7n }),
        tcbReportData({ teeKey: teeAddress, publicKey, chainId: 5611, registry: VERIFIER, teeOfferId: 7n }),
        tcbReportData({ teeKey: teeAddress, publicKey, chainId: 5611, registry: REGISTRY, teeOfferId: 8n }),
      ];
      variants.forEach((variant, i) => expect(variant, `report data of variant ${i}`).to.not.equal(base));
      expect(() =>
        tcbReportData({ teeKey: "0x12", publicKey, chainId: 5611, registry: REGISTRY, teeOfferId: 7n }),
      ).to.throw(InputError, "teeKey: ");
      expect(() =>
        tcbReportData({ teeKey: teeAddress, publicKey, chainId: 5611, registry: REGISTRY, teeOfferId: 0n }),
      ).to.throw(InputError, "teeOfferId: expected a TEE offer id");
    });
  });

  describe("attestationDigest / signAttestation", function () {
    const attestation: Attestation = {
      quoteHash: keccak256(QUOTE),
      reportData: tcbReportData({
        teeKey: teeAddress,
        publicKey,
        chainId: 5611,
        registry: REGISTRY,
        teeOfferId: 7n,
      }),
      measurement: MEASUREMENT,
      expiry: 1_767_225_600n,
    };

    it("digest matches ethers' TypedDataEncoder", function () {
      expect(attestationDigest(domain, attestation), "digest").to.equal(
        TypedDataEncoder.hash(domain, ETHERS_TYPES, attestation),
      );
    });

    it("signature recovers to the service's address with ethers", async function () {
      const signature = await signAttestation(SERVICE_KEY, domain, attestation);
      expect(verifyTypedData(domain, ETHERS_TYPES, attestation, signature), "signer").to.equal(
        privateKeyToAccount(SERVICE_KEY).address,
      );
    });

    it("rejects a malformed attestation, naming the field", function () {
      expect(() => attestationDigest(domain, { ...attestation, measurement: "0x1234" })).to.throw(
        InputError,
        "measurement: ",
      );
      expect(() => attestationDigest(domain, { ...attestation, expiry: 2n ** 64n })).to.throw(
        InputError,
        "expiry: ",
      );
    });
  });

  describe("encodeAttestationProof / decodeAttestationProof", function () {
    it("is abi.encode(bytes32, uint64, bytes), as ethers encodes it, and decodes back", function () {
      const proof = {
        measurement: MEASUREMENT,
        expiry: 1_767_225_600n,
        signature: `0x${"ab".repeat(65)}` as Hex,
      };
      const encoded = encodeAttestationProof(proof);
      expect(encoded, "proof").to.equal(
        AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "uint64", "bytes"],
          [proof.measurement, proof.expiry, proof.signature],
        ),
      );
      expect(decodeAttestationProof(encoded), "decoded proof").to.deep.equal(proof);
    });

    it("rejects what does not decode, naming the proof", function () {
      expect(() => decodeAttestationProof("0x1234")).to.throw(InputError, "proof: does not decode");
      expect(() =>
        encodeAttestationProof({ measurement: MEASUREMENT, expiry: -1n, signature: "0x" }),
      ).to.throw(InputError, "expiry: ");
    });
  });
});
