/**
 * `theme="auto"` follows the page: a site that declares its own `color-scheme` (a dark mode
 * toggle that sets `color-scheme: dark` on `<html>`) gets the widget in that scheme; a page
 * that declares none gets the system's. The scheme is written with the CSSOM, never a
 * `style` attribute, so a strict Content-Security-Policy allows it.
 */
import type { ReactiveController, ReactiveElement } from "lit";

type Host = ReactiveElement & { theme: string };

export class PageSchemeController implements ReactiveController {
  // Dark-mode toggles flip a class, a data attribute or the style of <html> or <body>.
  private readonly observer = new MutationObserver(() => this.apply());

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const target of [document.documentElement, document.body]) {
      if (target) this.observer.observe(target, { attributes: true });
    }
  }

  hostDisconnected(): void {
    this.observer.disconnect();
  }

  hostUpdated(): void {
    this.apply();
  }

  private apply(): void {
    const root = this.host.renderRoot.querySelector<HTMLElement>(".root");
    if (!root) return;
    const page = getComputedStyle(this.host).colorScheme;
    const follow = this.host.theme !== "light" && this.host.theme !== "dark";
    root.style.colorScheme = follow && page && page !== "normal" ? page : "";
  }
}
