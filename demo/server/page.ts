import { readFileSync } from "node:fs";
import { DEMO_CATEGORIES, DEMO_TENANTS, SECOND_ORIGIN_TENANT } from "./tenants.ts";

const template = readFileSync(new URL("../public/index.html", import.meta.url), "utf8");

export interface PageInput {
  tenant: (typeof DEMO_TENANTS)[number];
  user: string;
  token: string;
  /** `/widget.js` on the server's own origin; an absolute URL on the second origin. */
  widgetSrc: string;
  origin: "main" | "second";
  /** The same page on the other origin. */
  otherOrigin: string;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * The sample site's page, rendered as a site's backend would: the signed-in user's token goes
 * into the `<notify-bell>` element, the widget's script tag points at the notify-bell server.
 * The rest of the page is static; `demo.js` reads `data-config` for its switcher and forms.
 */
export function renderPage(input: PageInput): string {
  const config = {
    tenant: input.tenant.id,
    user: input.user,
    origin: input.origin,
    otherOrigin: input.otherOrigin,
    secondOriginTenant: SECOND_ORIGIN_TENANT,
    tenants: DEMO_TENANTS,
    categories: DEMO_CATEGORIES,
  };
  const values: Record<string, string> = {
    site: escapeHtml(input.tenant.site),
    tenantName: escapeHtml(input.tenant.name),
    user: escapeHtml(input.user),
    token: escapeHtml(input.token),
    widgetSrc: escapeHtml(input.widgetSrc),
    config: escapeHtml(JSON.stringify(config)),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
