/**
 * The rate limiter: a bucket per client, refilled with time, and bounded memory.
 */
import { expect } from "chai";

import { createRateLimiter } from "../src/index.js";

describe("attestation service: rate limiter", function () {
  it("gives each client its own bucket of `requests`, refilled over `perSeconds`", function () {
    let clock = 0;
    const limiter = createRateLimiter({ requests: 3, perSeconds: 30 }, () => clock);
    expect(
      [1, 2, 3].map(() => limiter.take("a")),
      "a's three requests",
    ).to.deep.equal([0, 0, 0]);
    expect(limiter.take("a"), "a's fourth: wait 10 s").to.equal(10);
    expect(limiter.take("b"), "b is not limited by a").to.equal(0);
    clock += 9_999;
    expect(limiter.take("a"), "just before a token is back").to.equal(1);
    clock += 1;
    expect(limiter.take("a"), "10 s later").to.equal(0);
  });

  it("forgets clients whose bucket is full again once it tracks 10000", function () {
    let clock = 0;
    const limiter = createRateLimiter({ requests: 1, perSeconds: 60 }, () => clock);
    for (let i = 0; i < 10_000; i++) limiter.take(`client-${i}`);
    expect(limiter.tracked(), "tracked while their buckets refill").to.equal(10_000);
    limiter.take("one more");
    expect(limiter.tracked(), "none full yet: all kept").to.equal(10_001);
    clock += 60_000;
    limiter.take("later");
    expect(limiter.tracked(), "full buckets forgotten").to.equal(1);
  });
});
