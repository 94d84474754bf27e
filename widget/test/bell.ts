/**
 * Mounting `<notify-bell>` in the test page against the real server, and looking inside it.
 */
import type { NotifyBell } from "../src/notify-bell.ts";
import { insertNotification, mintToken, serverInfo, uniqueUser, waitFor } from "./notify-server.ts";

export async function mount(
  attributes: Record<string, string> = {},
  parent: Element = document.body,
): Promise<NotifyBell> {
  const el = document.createElement("notify-bell");
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  parent.append(el);
  await el.updateComplete;
  return el;
}

/** A bell for a fresh user on the real server, with `rows` notifications already inserted. */
export async function mountFor(
  label: string,
  rows: string[] = [],
  attributes: Record<string, string> = {},
  parent: Element = document.body,
) {
  const sub = uniqueUser(label);
  for (const title of rows) await insertNotification(sub, title);
  const { server } = await serverInfo();
  const el = await mount({ server, token: await mintToken(sub), ...attributes }, parent);
  await waitFor(() => el.status === "open", "the stream to open");
  await waitFor(() => el.unreadCount === rows.length, "the unread count");
  return { el, sub };
}

export const $ = <T extends Element = HTMLElement>(el: NotifyBell, selector: string) =>
  el.shadowRoot?.querySelector<T & Element>(selector) ?? null;

export const $$ = (el: NotifyBell, selector: string) => [
  ...(el.shadowRoot?.querySelectorAll<HTMLElement>(selector) ?? []),
];

/** The focused element, looking through shadow roots. */
export const deepActive = () => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

export async function openPanel(el: NotifyBell, rows: number) {
  $(el, ".bell")?.click();
  await waitFor(() => $$(el, ".list > .item").length === rows, `${rows} rows in the panel`);
  await el.updateComplete;
}
