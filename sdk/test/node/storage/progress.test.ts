import { expect } from "chai";

import { type TransferProgress, progressReporter } from "../../../src/node/index.js";

const MIB = 1024 * 1024;

/** An output that records what is written, and a clock the test moves. */
function fakes(isTTY: boolean): {
  output: { isTTY: boolean; write(text: string): void };
  written: string[];
  clock: { now: number };
} {
  const written: string[] = [];
  return { output: { isTTY, write: (text) => void written.push(text) }, written, clock: { now: 0 } };
}

function event(bytes: number, total: number | undefined, done = false): TransferProgress {
  return { phase: "upload", bytes, total, done };
}

describe("node/storage: progressReporter", function () {
  it("rewrites one terminal line with bytes, percentage, rate and time left, at most every 100 ms", function () {
    const { output, written, clock } = fakes(true);
    const report = progressReporter({ output, label: "dataset", now: () => clock.now });
    report(event(0, 100 * MIB));
    clock.now = 1000;
    report(event(25 * MIB, 100 * MIB));
    clock.now = 1050;
    report(event(26 * MIB, 100 * MIB));
    clock.now = 2000;
    report(event(100 * MIB, 100 * MIB, true));
    expect(written, "writes").to.deep.equal([
      "\r\x1b[2Kdataset: 0 B / 100.0 MiB (0%)",
      "\r\x1b[2Kdataset: 25.0 MiB / 100.0 MiB (25%), 25.0 MiB/s, 3s left",
      "\r\x1b[2Kdataset: 100.0 MiB / 100.0 MiB (100%), 50.0 MiB/s\n",
    ]);
  });

  it("writes one line per 10% to a log, and a last line when done", function () {
    const { output, written, clock } = fakes(false);
    const report = progressReporter({ output, now: () => clock.now });
    for (let percent = 0; percent <= 100; percent += 5) {
      clock.now = percent * 100;
      report(event(percent * MIB, 100 * MIB));
    }
    report(event(100 * MIB, 100 * MIB, true));
    expect(written.length, "lines").to.equal(10);
    expect(written[0], "first line").to.equal("Uploading: 10.0 MiB / 100.0 MiB (10%), 10.0 MiB/s, 9s left\n");
    expect(written[8], "90% line").to.match(/^Uploading: 90\.0 MiB \/ 100\.0 MiB \(90%\)/);
    expect(written[9], "last line").to.equal("Uploading: 100.0 MiB in 10s, 10.0 MiB/s, done\n");
  });

  it("writes only the last line to a log when the total is unknown", function () {
    const { output, written, clock } = fakes(false);
    const report = progressReporter({ output, label: "result", now: () => clock.now });
    report({ phase: "download", bytes: 512, total: undefined, done: false });
    clock.now = 90_500;
    report({ phase: "download", bytes: 3 * 1024 ** 3, total: undefined, done: true });
    expect(written, "lines").to.deep.equal(["result: 3.0 GiB in 1m31s, 33.9 MiB/s, done\n"]);
  });
});
