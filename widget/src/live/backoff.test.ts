import { expect } from "@esm-bundle/chai";
import { backoffDelay, MAX_BACKOFF_MS } from "./backoff.ts";

describe("backoffDelay", () => {
  it("waits exactly the server's retry after a clean end", () => {
    expect(backoffDelay(0, 3000, () => 0.5)).to.equal(3000);
  });

  it("doubles per failure with jitter between half and the whole ceiling", () => {
    expect(backoffDelay(1, 1000, () => 0)).to.equal(500);
    expect(backoffDelay(1, 1000, () => 1)).to.equal(1000);
    expect(backoffDelay(3, 1000, () => 0)).to.equal(2000);
    expect(backoffDelay(3, 1000, () => 1)).to.equal(4000);
  });

  it("is capped, and a retry of 0 still backs off after a failure", () => {
    expect(backoffDelay(30, 1000, () => 1)).to.equal(MAX_BACKOFF_MS);
    expect(backoffDelay(1, 0, () => 1)).to.be.greaterThan(0);
  });
});
