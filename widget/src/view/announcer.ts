/**
 * What the polite live region says. Each message is a node of its own, appended, so a screen
 * reader hears every one: a title repeated, or the middle of a burst, is not lost the way it
 * is when one text is replaced. What must stay true: messages are only ever appended, never
 * changed in place; the whole list goes once the region has been quiet for a while.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export class AnnouncerController implements ReactiveController {
  messages: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly quietMs = 10_000,
  ) {
    host.addController(this);
  }

  say(text: string): void {
    this.messages = [...this.messages, text];
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.messages = [];
      this.host.requestUpdate();
    }, this.quietMs);
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.messages = [];
  }
}
