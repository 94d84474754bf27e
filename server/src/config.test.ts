import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const external = { DATABASE_URL: "postgres://u:p@db:5432/app" };

describe("the demo settings", () => {
  it("turn the demo on with the embedded Postgres and off with DATABASE_URL, unless NOTIFY_DEMO says", () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig(external).demo).toBe(false);
    expect(loadConfig({ ...external, NOTIFY_DEMO: "1" }).demo).toBe(true);
    expect(loadConfig({ NOTIFY_DEMO: "0" }).demo).toBe(false);
  });

  it("keep the demo off on an address other machines can reach, unless NOTIFY_DEMO=1", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1"]) {
      expect(loadConfig({ HOST: host }).demo, host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "notify.example.com"]) {
      expect(loadConfig({ HOST: host }).demo, host).toBe(false);
      expect(loadConfig({ HOST: host, NOTIFY_DEMO: "1" }).demo, host).toBe(true);
    }
  });

  it("refuse anything but 1 or 0, and a second port out of range", () => {
    expect(() => loadConfig({ NOTIFY_DEMO: "yes" })).toThrow(ConfigError);
    expect(() => loadConfig({ NOTIFY_DEMO: "yes" })).toThrow(/NOTIFY_DEMO/);
    expect(loadConfig({}).demoSecondPort).toBe(3001);
    expect(loadConfig({ NOTIFY_DEMO_SECOND_PORT: "0" }).demoSecondPort).toBe(0);
    expect(() => loadConfig({ NOTIFY_DEMO_SECOND_PORT: "70000" })).toThrow(
      /NOTIFY_DEMO_SECOND_PORT/,
    );
  });
});
