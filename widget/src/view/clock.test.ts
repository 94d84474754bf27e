import { expect } from "@esm-bundle/chai";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { waitFor } from "../../test/notify-server.ts";
import { ClockController } from "./clock.ts";

/** A bare host: counts the updates the clock asks for. */
function host() {
  const controllers: ReactiveController[] = [];
  const h = {
    updates: 0,
    controllers,
    addController: (c: ReactiveController) => controllers.push(c),
    removeController: () => {},
    requestUpdate: () => {
      h.updates++;
    },
    updateComplete: Promise.resolve(true),
  } satisfies ReactiveControllerHost & { updates: number; controllers: ReactiveController[] };
  return h;
}

describe("ClockController", () => {
  it("re-renders while connected and stops when disconnected", async () => {
    const h = host();
    const clock = new ClockController(h, 20);
    expect(h.controllers).to.deep.equal([clock]);
    clock.hostConnected();
    await waitFor(() => h.updates >= 2, "two ticks");
    clock.hostDisconnected();
    const after = h.updates;
    await new Promise((r) => setTimeout(r, 100));
    expect(h.updates).to.equal(after);
  });
});
