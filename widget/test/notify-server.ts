/**
 * Browser-side handle on the real server that `notify-server-plugin.ts` runs for the tests.
 */
import { executeServerCommand } from "@web/test-runner-commands";
import type { NotifyCommand, NotifyInfo } from "./notify-server-plugin.ts";

function notify<T>(command: NotifyCommand): Promise<T> {
  return executeServerCommand<T, NotifyCommand>("notify", command);
}

export const serverInfo = () => notify<NotifyInfo>({ op: "info" });

export const mintToken = (
  sub: string,
  options: { ttlSeconds?: number; badSignature?: boolean } = {},
) => notify<string>({ op: "token", sub, ...options });

/** Inserts a row with plain SQL, as a tenant app does; resolves to its id. */
export const insertNotification = (
  sub: string,
  title: string,
  extra: {
    body?: string | null;
    url?: string | null;
    actorName?: string | null;
    actorAvatarUrl?: string | null;
    actions?: { id: string; label: string; url?: string; style?: string }[] | null;
    groupKey?: string | null;
    category?: string | null;
  } = {},
) => notify<string>({ op: "insert", sub, title, ...extra });

/** Declares (or redeclares) a category of the tests' tenant, with SQL as a tenant app does. */
export const declareCategory = (
  key: string,
  labels: Record<string, string>,
  options: { position?: number; mutable?: boolean } = {},
) => notify<boolean>({ op: "declareCategory", key, labels, ...options });

/** Deletes a row with plain SQL; the stream says so with a `delete` event. */
export const deleteNotification = (id: string) => notify<boolean>({ op: "delete", id });
/** Records no tick for `ms`: a stream opening meanwhile waits for its start. */
export const holdTicks = (ms: number) => notify<boolean>({ op: "holdTicks", ms });
/** Retires the tenant's signing secret at once: open streams end with `token_revoked`. */
export const rotateSecret = () => notify<boolean>({ op: "rotateSecret" });
export const openStreams = () => notify<number>({ op: "openStreams" });
export const stopServer = () => notify<boolean>({ op: "stopServer" });
export const startServer = () => notify<boolean>({ op: "startServer" });

let users = 0;
/** A recipient no other test uses, so counts and streams never mix between tests. */
export const uniqueUser = (label: string) =>
  `${label}-${Date.now().toString(36)}-${++users}-${Math.random().toString(36).slice(2, 6)}`;

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 8000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
