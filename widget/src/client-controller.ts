/**
 * The element's live connection as a Lit reactive controller: a `NotifyClient` started while
 * the element is in the document and closed when it leaves, whose events become the
 * element's (`notify-receive`, `notify-error`, `notify-session-expired`) and re-render it.
 * What a notification looks like on screen (toast, announcement) stays with the element.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { type ClientStatus, NotifyClient } from "./client.ts";
import { emit } from "./events.ts";
import type { NotifyItem } from "./types.ts";
import { joinPage, leavePage } from "./view/page-voice.ts";

export interface ClientHooks {
  status(status: ClientStatus): void;
  /** A live notification to pop up (its category's toasts are on), after `notify-receive`. */
  received(item: NotifyItem): void;
  deleted(id: string): void;
  /** A notification changed, here or in another tab or device. */
  updated(item: NotifyItem): void;
  /** Another user (or none): nothing of the previous one may stay on screen. */
  userChanged(): void;
}

type Host = ReactiveControllerHost & HTMLElement & { toasts: string };

export class ClientController implements ReactiveController {
  readonly client = new NotifyClient();
  /** The user this bell is one of the page's bells for (see page-voice.ts). */
  private joined = "";

  constructor(
    private readonly host: Host,
    hooks: ClientHooks,
  ) {
    host.addController(this);
    const { client } = this;
    client.on("change", () => host.requestUpdate());
    client.on("status", ({ status }) => hooks.status(status));
    client.on("user", ({ user }) => {
      this.join(user ?? "");
      hooks.userChanged();
    });
    client.on("notification", ({ notification, toast }) => {
      emit(host, "notify-receive", { notification });
      // The user turned toasts off for its category: listed and counted, never popped up.
      if (toast) hooks.received(notification);
    });
    client.on("delete", ({ id }) => hooks.deleted(id));
    client.on("update", ({ notification }) => hooks.updated(notification));
    client.on("session-expired", () => emit(host, "notify-session-expired", {}));
    client.on("error", (detail) => emit(host, "notify-error", detail));
  }

  /** The user key this bell speaks for, for page-voice.ts. */
  get user(): string {
    return this.joined;
  }

  hostConnected(): void {
    this.client.start();
  }

  hostDisconnected(): void {
    this.client.close();
    this.join("");
  }

  private join(user: string): void {
    leavePage(this.joined, this.host);
    this.joined = user;
    if (user) joinPage(user, this.host);
  }
}
