/**
 * One toast stack and one voice per page and user, however many bells show that user (a
 * desktop header and a mobile drawer, say). Every bell gets every event; only the one this
 * picks shows the toast and speaks it: the first in document order that is rendered and has
 * not said `toasts="off"`, else the first that has not.
 */

interface Bell extends Element {
  toasts: string;
}

const bellsByUser = new Map<string, Set<Bell>>();

export function joinPage(user: string, bell: Bell): void {
  const bells = bellsByUser.get(user) ?? new Set();
  bells.add(bell);
  bellsByUser.set(user, bells);
}

export function leavePage(user: string, bell: Bell): void {
  const bells = bellsByUser.get(user);
  bells?.delete(bell);
  if (bells?.size === 0) bellsByUser.delete(user);
}

export function isPageVoice(user: string, bell: Bell): boolean {
  const candidates = [...(bellsByUser.get(user) ?? [])]
    .filter((b) => b.toasts !== "off")
    .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const voice = candidates.find((b) => b.checkVisibility()) ?? candidates[0];
  return voice === bell;
}
