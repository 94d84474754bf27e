/**
 * Loads the inbox panel's module (../inbox-panel.ts) once per page, on the first hover, focus
 * or open of a bell, and adopts its styles into the bell's shadow root before it renders. A
 * failed load (server gone, chunk refused) leaves `failed` set for the panel's error state,
 * and `load()` tries again.
 */
import type { ReactiveElement } from "lit";

export type PanelModule = typeof import("../inbox-panel.ts");

/** Shared by every bell on the page: one request, whichever bell asks first. */
let shared: Promise<PanelModule> | null = null;

function importPanel(): Promise<PanelModule> {
  shared ??= import("../inbox-panel.ts").catch((err: unknown) => {
    shared = null;
    throw err;
  });
  return shared;
}

export class PanelLoader {
  module: PanelModule | null = null;
  failed = false;
  private loading = false;

  constructor(
    private readonly host: ReactiveElement,
    private readonly onError: (err: unknown) => void,
  ) {}

  load(): void {
    if (this.module || this.loading) return;
    this.loading = true;
    this.failed = false;
    this.host.requestUpdate();
    importPanel().then(
      (module) => {
        const root = this.host.shadowRoot;
        const sheet = module.panelStyles.styleSheet;
        if (root && sheet && !root.adoptedStyleSheets.includes(sheet)) {
          root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
        }
        this.module = module;
        this.done();
      },
      (err: unknown) => {
        this.failed = true;
        this.done();
        this.onError(err);
      },
    );
  }

  private done(): void {
    this.loading = false;
    this.host.requestUpdate();
  }
}
