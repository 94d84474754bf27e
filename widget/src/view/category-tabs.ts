/**
 * The category tabs and the preferences view, in the lazily loaded module. Which tabs: the
 * element's `categories` attribute, keys in its order, or `*` for every category the tenant
 * declared (GET /v1/categories, in its order); keys it did not declare are left out. Each tab
 * shows its own unread count, the server's (`categoryCounts`); labels and keys are text.
 */
import { html, nothing } from "lit";
import type { InboxStore } from "../inbox/store.ts";
import type { CategoryJson, PreferenceJson } from "../types.ts";
import type { NotifyStrings } from "./i18n.ts";

/** The label in the page's language, then its primary subtag, then English, then any. */
export function categoryLabel({ key, labels }: CategoryJson, lang: string): string {
  const lower = Object.fromEntries(
    Object.entries(labels).map(([tag, l]) => [tag.toLowerCase(), l]),
  );
  const wanted = lang.toLowerCase();
  return (
    lower[wanted] ??
    lower[wanted.split("-")[0] ?? ""] ??
    lower.en ??
    Object.values(labels)[0] ??
    key
  );
}

/** The declared categories the attribute asks for, in its order (`*`: all, in theirs). */
export function chosenTabs(attribute: string, declared: CategoryJson[]): CategoryJson[] {
  const keys = attribute.trim().split(/\s+/).filter(Boolean);
  if (keys.includes("*")) return declared;
  return keys.flatMap((key) => declared.filter((c) => c.key === key));
}

export function renderTabs(
  tabs: CategoryJson[],
  store: InboxStore,
  t: NotifyStrings,
  lang: string,
  show: (category: string | null) => void,
) {
  if (tabs.length === 0) return nothing;
  const unread = (key: string) =>
    store.categoryCounts.find((c) => c.category === key)?.unreadCount ?? 0;
  const tab = (key: string | null, label: string, count: number) =>
    html`<button type="button" aria-pressed=${store.category === key ? "true" : "false"}
      @click=${() => show(key)}><span dir="auto">${label}</span>${
        // The space is text of the binding: the build's HTML minifier drops one in markup,
        // and "Comments1" is what a screen reader would say.
        count > 0 ? html`<span class="count">${` ${count > 99 ? "99+" : count}`}</span>` : nothing
      }</button>`;
  return html`<div class="tabs" part="tabs" role="group" aria-label=${t.tabsLabel}>
    ${tab(null, t.tabAll, store.unreadCount)}
    ${tabs.map((c) => tab(c.key, categoryLabel(c, lang), unread(c.key)))}
  </div>`;
}

/**
 * Per category, two switches: listed and counted (`inInbox`), popped up (`asToast`). A
 * category the tenant made not mutable shows both on, disabled.
 */
export function renderPreferences(
  declared: CategoryJson[],
  preferences: PreferenceJson[] | null,
  t: NotifyStrings,
  lang: string,
  set: (preference: PreferenceJson) => void,
) {
  if (!preferences) return html`<p class="state" part="empty" role="status">${t.loading}</p>`;
  if (declared.length === 0) {
    return html`<p class="state" part="empty">${t.preferencesEmpty}</p>`;
  }
  const box = (c: CategoryJson, p: PreferenceJson, field: "inInbox" | "asToast", label: string) =>
    html`<label><input type="checkbox" .checked=${p[field]} ?disabled=${!c.mutable}
      @change=${(e: Event) => set({ ...p, [field]: (e.target as HTMLInputElement).checked })}
      >${label}</label>`;
  return html`<div class="preferences" part="preferences">
    ${declared.map((c) => {
      const p = preferences.find((x) => x.category === c.key) ?? {
        category: c.key,
        inInbox: true,
        asToast: true,
      };
      return html`<fieldset>
        <legend dir="auto">${categoryLabel(c, lang)}</legend>
        ${box(c, p, "inInbox", t.prefInInbox)} ${box(c, p, "asToast", t.prefAsToast)}
      </fieldset>`;
    })}
  </div>`;
}
