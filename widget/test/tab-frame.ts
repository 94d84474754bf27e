/**
 * A "tab" for the tests: a same-origin iframe, which shares Web Locks and BroadcastChannel
 * with its siblings as tabs do. It embeds the widget exactly as a site would: the built
 * `/widget.js` from the real server and one element with a token, no `server` attribute (the
 * default is the script's origin).
 */
import type { NotifyBell } from "../src/notify-bell.ts";
import { serverInfo, waitFor } from "./notify-server.ts";

export interface Tab {
  frame: HTMLIFrameElement;
  el: NotifyBell;
  /** Titles of `notify-receive` events, in order. */
  received: string[];
}

export interface TabOptions {
  /** Hides `navigator.locks`, as in a browser without Web Locks. */
  withoutLocks?: boolean;
  /** A `<meta>` Content-Security-Policy for the tab; `SERVER` stands for the server's origin. */
  csp?: string;
}

export async function openTab(token: string, options: TabOptions = {}): Promise<Tab> {
  const { server } = await serverInfo();
  const frame = document.createElement("iframe");
  const head = [
    options.csp
      ? `<meta http-equiv="Content-Security-Policy" content="${options.csp.replaceAll("SERVER", server)}">`
      : "",
    options.withoutLocks
      ? `<script>Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });</script>`
      : "",
    `<script type="module" src="${server}/widget.js"></script>`,
  ].join("");
  frame.srcdoc = `<!doctype html><html lang="en"><head><title>tab</title>${head}</head>
    <body><notify-bell token="${token}"></notify-bell></body></html>`;
  document.body.append(frame);
  const el = await waitFor(() => {
    const bell = frame.contentDocument?.querySelector("notify-bell") as NotifyBell | null;
    return bell?.shadowRoot && bell.status === "open" ? bell : null;
  }, "a tab's widget to connect");
  const received: string[] = [];
  el.addEventListener("notify-receive", (e) => received.push(e.detail.notification.title));
  return { frame, el, received };
}
