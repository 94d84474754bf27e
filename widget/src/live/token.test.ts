import { expect } from "@esm-bundle/chai";
import { readClaims, TokenSource } from "./token.ts";

function jwt(claims: object): string {
  const b64 = (o: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.sig`;
}

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

describe("readClaims", () => {
  it("reads tenant, sub and exp from a base64url payload, Unicode included", () => {
    const claims = readClaims(jwt({ tenant: "acme", sub: "사용자-1", exp: 123 }));
    expect(claims).to.deep.equal({ tenant: "acme", sub: "사용자-1", exp: 123 });
  });

  it("returns null for garbage", () => {
    expect(readClaims("nope")).to.equal(null);
    expect(readClaims("a.!!!.c")).to.equal(null);
  });
});

describe("TokenSource", () => {
  it("shares one provider call between concurrent refreshes", async () => {
    let calls = 0;
    const changes: (string | null)[] = [];
    const source = new TokenSource((t) => changes.push(t));
    source.provider = async () => {
      calls++;
      return jwt({ tenant: "t", sub: "u", exp: inSeconds(3600), n: calls });
    };
    const [a, b] = await Promise.all([source.refresh(), source.refresh()]);
    expect(calls).to.equal(1);
    expect(a).to.equal(b);
    expect(source.current).to.equal(a);
    expect(changes).to.deep.equal([a]);
    source.close();
  });

  it("does not ask again for a token another caller already replaced", async () => {
    let calls = 0;
    const source = new TokenSource(() => {});
    source.provider = () => `t${++calls}`;
    source.set("t0");
    expect(await source.replace("t0")).to.equal("t1");
    expect(await source.replace("t0")).to.equal("t1");
    expect(await source.replace("t1")).to.equal("t2");
    expect(calls).to.equal(2);
  });

  it("refreshes a token about to expire before handing it out", async () => {
    const source = new TokenSource(() => {});
    const fresh = jwt({ tenant: "t", sub: "u", exp: inSeconds(3600) });
    source.provider = () => fresh;
    source.set(jwt({ tenant: "t", sub: "u", exp: inSeconds(2) }));
    expect(await source.fresh()).to.equal(fresh);
    source.close();
  });

  it("calls the provider on its own shortly before exp", async () => {
    const source = new TokenSource(() => {});
    let called = false;
    source.provider = () => {
      called = true;
      return jwt({ tenant: "t", sub: "u", exp: inSeconds(3600) });
    };
    source.set(jwt({ tenant: "t", sub: "u", exp: inSeconds(30) }));
    await new Promise((r) => setTimeout(r, 50));
    expect(called).to.equal(true);
    source.close();
  });

  it("resolves null without a provider or when it fails", async () => {
    const source = new TokenSource(() => {});
    expect(await source.refresh()).to.equal(null);
    source.provider = () => Promise.reject(new Error("down"));
    expect(await source.refresh()).to.equal(null);
  });
});
