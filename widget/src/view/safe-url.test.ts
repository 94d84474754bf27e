import { expect } from "@esm-bundle/chai";
import { safeUrl } from "./safe-url.ts";

const base = "https://app.example.com/inbox/page";

describe("safeUrl", () => {
  it("keeps http and https URLs", () => {
    expect(safeUrl("https://x.example/a?b=1#c", base)).to.equal("https://x.example/a?b=1#c");
    expect(safeUrl("http://x.example/", base)).to.equal("http://x.example/");
  });

  it("resolves relative URLs against the page", () => {
    expect(safeUrl("/orders/7", base)).to.equal("https://app.example.com/orders/7");
    expect(safeUrl("details", base)).to.equal("https://app.example.com/inbox/details");
    expect(safeUrl("//cdn.example/x", base)).to.equal("https://cdn.example/x");
  });

  for (const hostile of [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u0000javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "blob:https://app.example.com/uuid",
    "file:///etc/passwd",
    "mailto:someone@example.com",
  ]) {
    it(`drops ${JSON.stringify(hostile)}`, () => {
      expect(safeUrl(hostile, base)).to.equal(null);
    });
  }

  it("drops empty, non-string and unparseable values", () => {
    expect(safeUrl("", base)).to.equal(null);
    expect(safeUrl("   ", base)).to.equal(null);
    expect(safeUrl(null, base)).to.equal(null);
    expect(safeUrl({ href: "https://x" }, base)).to.equal(null);
    expect(safeUrl("http://[::1", base)).to.equal(null);
  });
});
