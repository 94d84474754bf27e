/**
 * The headless notify-bell client, for a site that draws its own bell: the live connection
 * (one stream per browser shared by its tabs, hand-over, resume, token refresh) and the inbox
 * (pages, live changes, actions, the unread count), with typed events and no DOM of its own.
 * `<notify-bell>` is built on it. Built alone as `widget/dist/notify-client.js` (no Lit).
 *
 * Must stay true: one client per server and user at a time holds the inbox; when the token
 * names another user, everything of the previous one is dropped before anything of the new
 * one arrives (`user` event), and responses still in flight for the old one are ignored.
 */
import { NotifyApi } from "./inbox/api.ts";
import { InboxController } from "./inbox/inbox-controller.ts";
import { LiveConnection } from "./live/live-connection.ts";
import { resolveServer } from "./live/server-url.ts";
import { readClaims, type TokenProvider, TokenSource } from "./live/token.ts";
import type { LiveEvent, LiveStatus, NotifyItem } from "./types.ts";

/** The live connection's state, and `expired` once the token is refused for good. */
export type ClientStatus = LiveStatus | "expired";

export interface NotifyClientOptions {
  /** Base URL of the notify-bell server; by default the origin this module was loaded from. */
  server?: string;
  /** The user's JWT, signed by the site's backend. */
  token?: string;
  /** A fresh JWT: before `exp`, after a 401, when a retired secret ends the stream, and first of all when there is no `token`. */
  tokenProvider?: TokenProvider;
}

/** Each event's `detail`. Listen with `client.on(type, (detail) => ...)`. */
export interface NotifyClientEventMap {
  /** A live notification arrived (in every tab). */
  notification: { notification: NotifyItem; toast: boolean };
  /** A notification was deleted on the server; the inbox has already dropped it. */
  delete: { id: string };
  /** A notification changed (read, seen, archived, action taken, snoozed, content). */
  update: { notification: NotifyItem; toast: boolean };
  /** The inbox changed: items, load state, failed action or unread count. */
  change: Record<string, never>;
  /** The live connection's state changed. */
  status: { status: ClientStatus };
  /** The token now names another user (`server|tenant|sub`), or none: the inbox was emptied. */
  user: { user: string | null };
  /** The server refused the token and `tokenProvider` is missing or could not help. */
  "session-expired": Record<string, never>;
  /** A request or the stream failed; `code` is the server's error code when it sent one. */
  error: { code: string; message: string; status?: number };
}

export class NotifyClient extends EventTarget {
  /** The inbox: `inbox.store` holds the items and count; its methods load and act. */
  readonly inbox: InboxController;
  private readonly auth: TokenSource;
  private serverUrl: string;
  private live: LiveConnection | null = null;
  private userKey = "";
  private running = false;
  private state: ClientStatus = "connecting";

  constructor(options: NotifyClientOptions = {}) {
    super();
    this.auth = new TokenSource(() => this.connect());
    this.inbox = new InboxController({ requestUpdate: () => this.emit("change", {}) }, (e) =>
      this.emit("error", { code: e.code, message: e.message, status: e.status }),
    );
    this.serverUrl = resolveServer(options.server ?? "");
    this.auth.provider = options.tokenProvider;
    this.auth.set(options.token || null);
  }

  get server(): string {
    return this.serverUrl;
  }

  set server(server: string) {
    this.serverUrl = resolveServer(server);
    this.connect();
  }

  get token(): string | null {
    return this.auth.current;
  }

  /** Another user's token reconnects; a new token for the same user resumes. */
  set token(token: string | null) {
    this.auth.set(token || null);
    this.connect();
  }

  get tokenProvider(): TokenProvider | undefined {
    return this.auth.provider;
  }

  /** A provider given once connected with no token is asked for the first token at once. */
  set tokenProvider(provider: TokenProvider | undefined) {
    this.auth.provider = provider;
    if (this.running && !this.auth.current) void this.auth.refresh();
  }

  get status(): ClientStatus {
    return this.state;
  }

  /** The count the server last sent. */
  get unreadCount(): number {
    return this.inbox.store.unreadCount;
  }

  /** Unread notifications not seen yet (what `<notify-bell>` shows), as the server last sent. */
  get unseenCount(): number {
    return this.inbox.store.unseenCount;
  }

  /** `server|tenant|sub` of the connected user, or "" when there is none. */
  get user(): string {
    return this.userKey;
  }

  /** Connects (or joins the tab that holds the stream) and keeps the token fresh. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.auth.schedule();
    this.connect();
  }

  /** Stops; another tab takes the stream over. Safe to call twice; `start()` begins anew. */
  close(): void {
    this.running = false;
    this.auth.close();
    this.disconnect();
  }

  /** Typed listening; returns the function that stops it. */
  on<K extends keyof NotifyClientEventMap>(
    type: K,
    listener: (detail: NotifyClientEventMap[K]) => void,
  ): () => void {
    const handler = (e: Event) => listener((e as CustomEvent<NotifyClientEventMap[K]>).detail);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /** One connection per server and user, rebuilt when either changes. */
  private connect(): void {
    if (!this.running) return;
    const claims = this.auth.current ? readClaims(this.auth.current) : null;
    const key = claims ? `${this.serverUrl}|${claims.tenant}|${claims.sub}` : "";
    if (key === this.userKey && this.live) {
      if (this.state === "expired") this.setStatus("connecting");
      this.live.resume();
      return;
    }
    this.disconnect();
    this.inbox.reset();
    this.userKey = key;
    this.setStatus("connecting");
    if (claims) {
      this.inbox.api = new NotifyApi(this.serverUrl, this.auth);
      this.live = new LiveConnection({
        server: this.serverUrl,
        auth: this.auth,
        key: `${claims.tenant}|${claims.sub}`,
        onEvent: (e) => this.onLiveEvent(e),
        onStatus: (s) => this.onLiveStatus(s),
        // Read only once the stream has its start: a row committed between an earlier read
        // and the stream's first tick would be in neither. A list loaded before then (the
        // panel was open) is loaded again.
        onReady: () =>
          void (this.inbox.store.state === "idle" ? this.inbox.refreshCount() : this.inbox.load()),
        onError: (e) => {
          // The stream reports a 401 only once the provider (if any) could not help: final.
          if (e.code === "unauthorized") {
            this.setStatus("expired");
            this.emit("session-expired", {});
          }
          this.emit("error", { code: e.code, message: e.message, status: e.status });
        },
      });
      this.live.start();
    } else if (!this.auth.current && this.auth.provider) {
      // A tokenProvider alone is asked for the first token too.
      void this.auth.refresh();
    }
    this.emit("user", { user: key || null });
  }

  private disconnect(): void {
    this.live?.close();
    this.live = null;
    this.userKey = "";
    this.inbox.api = null;
  }

  private onLiveEvent(event: LiveEvent): void {
    this.inbox.apply(event);
    if (event.type === "delete") this.emit("delete", { id: event.itemId });
    if (event.type !== "notification" && event.type !== "update") return;
    const {
      unreadCount: _,
      unseenCount: __,
      categoryCounts: ___,
      toast,
      ...notification
    } = event.item;
    this.emit(event.type, { notification, toast: toast !== false });
  }

  private onLiveStatus(status: LiveStatus): void {
    if (this.state === "expired" && status !== "open") return;
    this.setStatus(status);
    // A list that failed to load comes back with the stream, without a click on "Try again".
    if (status === "open" && this.inbox.store.state === "error") void this.inbox.load();
  }

  private setStatus(status: ClientStatus): void {
    if (status === this.state) return;
    this.state = status;
    this.emit("status", { status });
  }

  private emit<K extends keyof NotifyClientEventMap>(
    type: K,
    detail: NotifyClientEventMap[K],
  ): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export type { LoadState } from "./inbox/store.ts";
export type { InboxFilter, NotifyItem } from "./types.ts";
export type { InboxController, TokenProvider };
