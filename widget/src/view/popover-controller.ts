/**
 * Keeps the panel and the toast stack in the browser's top layer, above everything on the
 * page whatever the bell's ancestors do (Lit removes them from the DOM to hide them). Where
 * the browser has no CSS anchor positioning, it also places the panel by measuring
 * (placement.ts), again on every scroll and resize while it is open, so it follows the bell.
 */
import type { ReactiveController, ReactiveElement } from "lit";
import { measuredPosition, parsePlacement } from "./placement.ts";

/** Whether the browser places the panel itself (CSS anchor positioning). */
export const ANCHORS = globalThis.CSS?.supports?.("anchor-name: --a") ?? false;

type Host = ReactiveElement & { placement: string };

export class PopoverController implements ReactiveController {
  constructor(
    private readonly host: Host,
    /** False: measure and place in script, as in a browser without anchor positioning. */
    readonly anchors = ANCHORS,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.anchors) return;
    addEventListener("resize", this.place, { passive: true });
    // Capture: a scroll in any container the bell sits in moves the bell too.
    addEventListener("scroll", this.place, { capture: true, passive: true });
  }

  hostDisconnected(): void {
    removeEventListener("resize", this.place);
    removeEventListener("scroll", this.place, { capture: true });
  }

  hostUpdated(): void {
    if (!this.host.isConnected) return;
    for (const popover of this.host.renderRoot.querySelectorAll<HTMLElement>("[popover]")) {
      if (!popover.matches(":popover-open")) popover.showPopover();
    }
    this.place();
  }

  private readonly place = (): void => {
    const root = this.host.renderRoot;
    const panel = root.querySelector<HTMLElement>(".panel");
    const bell = root.querySelector<HTMLElement>(".bell");
    // Under 480px the panel is a sheet along the bottom, placed by CSS alone.
    if (this.anchors || !panel || !bell || innerWidth < 480) return;
    panel.dataset.measured = "";
    panel.style.maxHeight = "";
    const { width, height } = panel.getBoundingClientRect();
    const at = measuredPosition(
      bell.getBoundingClientRect(),
      { width, height },
      { width: innerWidth, height: innerHeight },
      parsePlacement(this.host.placement),
      getComputedStyle(this.host).direction === "rtl",
    );
    panel.style.top = `${at.top}px`;
    panel.style.left = `${at.left}px`;
    if (at.maxHeight !== null) panel.style.maxHeight = `${at.maxHeight}px`;
  };
}
