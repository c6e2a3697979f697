import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();

/** Numeric values of OrderStatus, as in docs/design.md §2. */
const Status = {
  New: 0,
  Processing: 1,
  Canceling: 2,
  Canceled: 3,
  Done: 4,
  Error: 5,
  Blocked: 6,
  Suspended: 7,
} as const;
type StatusName = keyof typeof Status;
const names = Object.keys(Status) as StatusName[];

/** The state machine written out independently of the contract: from → allowed targets. */
const allowed: Record<StatusName, StatusName[]> = {
  New: ["Processing", "Done", "Error", "Suspended", "Canceled"],
  Processing: ["Done", "Error", "Canceling", "Canceled"],
  Canceling: ["Canceled"],
  Canceled: [],
  Done: [],
  Error: [],
  Blocked: ["New", "Canceled"],
  Suspended: ["New", "Canceled"],
};

async function deployHarness() {
  return ethers.deployContract("OrderStatusTransitionsHarness");
}

describe("OrderStatusTransitions", function () {
  describe("canTransition", function () {
    for (const from of names) {
      for (const to of names) {
        const expected = allowed[from].includes(to);
        it(`${expected ? "allows" : "refuses"} ${from} → ${to}`, async function () {
          const harness = await networkHelpers.loadFixture(deployHarness);
          expect(
            await harness.canTransition(Status[from], Status[to]),
            `canTransition(${from}, ${to})`,
          ).to.equal(expected);
        });
      }
    }
  });

  describe("isTerminal", function () {
    for (const status of names) {
      const expected = allowed[status].length === 0;
      it(`says ${status} is ${expected ? "" : "not "}terminal`, async function () {
        const harness = await networkHelpers.loadFixture(deployHarness);
        expect(await harness.isTerminal(Status[status]), `isTerminal(${status})`).to.equal(expected);
      });
    }
  });
});
