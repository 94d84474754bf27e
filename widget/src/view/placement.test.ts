import { expect } from "@esm-bundle/chai";
import { measuredPosition, parsePlacement } from "./placement.ts";

const viewport = { width: 1280, height: 800 };
const panel = { width: 380, height: 480 };
const bellAt = (left: number, top: number) => ({ left, top, width: 40, height: 40 });

describe("measuredPosition (the fallback without CSS anchor positioning)", () => {
  it("opens below the bell, aligned to its end edge, by default", () => {
    expect(measuredPosition(bellAt(1200, 10), panel, viewport, "bottom-end")).to.deep.equal({
      top: 56,
      left: 860,
      maxHeight: null,
    });
  });

  it("flips sideways in a left sidebar and upwards in a bottom corner", () => {
    expect(measuredPosition(bellAt(10, 10), panel, viewport, "bottom-end")).to.include({
      top: 56,
      left: 10,
    });
    expect(measuredPosition(bellAt(1200, 740), panel, viewport, "bottom-end")).to.include({
      top: 254,
      left: 860,
    });
    expect(measuredPosition(bellAt(10, 740), panel, viewport, "bottom-end")).to.include({
      top: 254,
      left: 10,
    });
  });

  it("honours the preferred placement and right-to-left pages", () => {
    expect(
      measuredPosition(bellAt(600, 400), { width: 380, height: 300 }, viewport, "top-start"),
    ).to.include({ top: 94, left: 600 });
    expect(measuredPosition(bellAt(600, 10), panel, viewport, "bottom-end", true)).to.include({
      left: 600,
    });
  });

  it("shifts and shortens when no side fits whole", () => {
    const small = { width: 400, height: 500 };
    const pos = measuredPosition(bellAt(200, 250), panel, small, "bottom-end");
    expect(pos).to.deep.equal({ top: 6, left: 6, maxHeight: 238 });
  });

  it("reads an unknown placement as the default", () => {
    expect(parsePlacement("top-start")).to.equal("top-start");
    expect(parsePlacement("left")).to.equal("bottom-end");
    expect(parsePlacement(null)).to.equal("bottom-end");
  });
});
