import { expect } from "@esm-bundle/chai";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { NotifyItem } from "../types.ts";
import { ToastController } from "./toasts.ts";

const host: ReactiveControllerHost = {
  addController(_: ReactiveController) {},
  removeController(_: ReactiveController) {},
  requestUpdate() {},
  updateComplete: Promise.resolve(true),
};

const item = (id: string, groupKey: string | null = null): NotifyItem => ({
  id,
  title: id,
  body: null,
  url: null,
  category: null,
  data: null,
  createdAt: "2025-06-01T12:00:00.000Z",
  readAt: null,
  archivedAt: null,
  expiresAt: null,
  seenAt: null,
  actor: null,
  actions: null,
  actionTaken: null,
  actionTakenAt: null,
  snoozedUntil: null,
  groupKey,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("ToastController", () => {
  it("caps the stack, dropping the oldest", () => {
    const toasts = new ToastController(host, 2, 10_000);
    for (const id of ["a", "b", "c"]) toasts.show(item(id));
    expect(toasts.toasts.map((t) => t.item.id)).to.deep.equal(["b", "c"]);
    toasts.hostDisconnected();
  });

  it("dismisses after the duration", async () => {
    const toasts = new ToastController(host, 3, 50);
    toasts.show(item("a"));
    await sleep(120);
    expect(toasts.toasts).to.have.length(0);
  });

  it("pauses while hovered or focused and resumes with the time left", async () => {
    const toasts = new ToastController(host, 3, 150);
    toasts.show(item("a"));
    await sleep(50);
    toasts.pause();
    await sleep(250);
    expect(toasts.toasts).to.have.length(1);
    toasts.resume();
    await sleep(50);
    expect(toasts.toasts).to.have.length(1);
    await sleep(150);
    expect(toasts.toasts).to.have.length(0);
  });

  it("toasts a group once per window: later members take the toast's place, and say nothing", async () => {
    // A window long enough for the burst below however slow the machine: a deadline.
    const toasts = new ToastController(host, 3, 60_000, 2_000);
    expect(toasts.show(item("1", "comment:q3"))).to.equal(true);
    expect(toasts.show(item("2"))).to.equal(true);
    expect(toasts.show(item("3", "comment:q3"))).to.equal(false);
    expect(toasts.show(item("4", "comment:q3"))).to.equal(false);
    expect(toasts.show(item("5", "other"))).to.equal(true);
    expect(toasts.toasts.map((t) => t.item.id)).to.deep.equal(["4", "2", "5"]);
    // Once the window has passed, the key toasts again.
    await sleep(2_100);
    expect(toasts.show(item("6", "comment:q3"))).to.equal(true);
    expect(toasts.toasts.map((t) => t.item.id)).to.deep.equal(["2", "5", "6"]);
    toasts.hostDisconnected();
  });
});
