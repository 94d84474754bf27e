/**
 * Loads the inbox panel's module (../inbox-panel.ts) once per page, on the first hover, focus
 * or open of a bell, and attaches a panel to the bell (its styles adopted before it renders).
 * A failed load (server gone, chunk refused) leaves `failed` set for the panel's error state,
 * and `load()` tries again.
 */
import type { PanelController, PanelHost } from "../inbox-panel.ts";

/** Shared by every bell on the page: one request, whichever bell asks first. */
let shared: Promise<typeof import("../inbox-panel.ts")> | null = null;

function importPanel() {
  shared ??= import("../inbox-panel.ts").catch((err: unknown) => {
    shared = null;
    throw err;
  });
  return shared;
}

export class PanelLoader {
  view: PanelController | null = null;
  failed = false;
  private loading = false;

  constructor(
    private readonly host: PanelHost,
    private readonly onError: (err: unknown) => void,
  ) {}

  load(): void {
    if (this.view || this.loading) return;
    this.loading = true;
    this.failed = false;
    this.host.element.requestUpdate();
    importPanel().then(
      (module) => {
        this.view = module.attachPanel(this.host);
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
    this.host.element.requestUpdate();
  }
}
