// The demo page's own script. The widget needs none of this: it is the script tag and the
// element in index.html. This file only drives the demo's switcher and its tenant app.

const config = JSON.parse(document.body.dataset.config);
const bell = document.querySelector("notify-bell");
const tenantName = (id) => config.tenants.find((t) => t.id === id)?.name ?? id;
const pageFor = (tenant, user) => `/?${new URLSearchParams({ tenant, user })}`;

// A page left open outlives its token: the widget asks this site's backend for a new one.
bell.tokenProvider = async () => {
  const response = await fetch(
    `/demo/api/token?${new URLSearchParams({ tenant: config.tenant, user: config.user })}`,
  );
  if (!response.ok) throw new Error(`token: ${response.status}`);
  return (await response.json()).token;
};

// Signed in as: one link per demo user; a real site would have a login form.
const switcher = document.getElementById("switcher");
for (const tenant of config.tenants) {
  const group = document.createElement("div");
  group.className = "tenant";
  const name = document.createElement("span");
  name.className = "tenant-name";
  name.textContent = tenant.name;
  group.append(name);
  for (const user of tenant.users) {
    const link = document.createElement("a");
    link.href = pageFor(tenant.id, user);
    link.textContent = user;
    link.dataset.tenant = tenant.id;
    link.dataset.user = user;
    if (tenant.id === config.tenant && user === config.user)
      link.setAttribute("aria-current", "page");
    group.append(link);
  }
  switcher.append(group);
}

const note = document.getElementById("origin-note");
const link = document.createElement("a");
link.id = "other-origin";
link.href = new URL(pageFor(config.tenant, config.user), config.otherOrigin).href;
if (config.origin === "main") {
  link.textContent = "Open this page on a second origin";
  note.append(
    link,
    ` to see the widget embedded across origins: ${tenantName(config.secondOriginTenant)} allows that origin; the other tenant does not, so its widget shows its error state there.`,
  );
} else {
  link.textContent = "Back to the server's origin";
  note.append(
    `This page is on a second origin (${location.origin}); the widget and its API are on another. `,
    config.tenant === config.secondOriginTenant
      ? `${tenantName(config.tenant)} lists this origin in its allowedOrigins, so the widget works. `
      : `${tenantName(config.tenant)} does not allow this origin: the browser blocks the widget's requests, and the widget shows its error state. `,
    link,
    ".",
  );
}

// Tenant app: any demo user may be the recipient, to show that only they receive it.
const to = document.getElementById("to");
for (const tenant of config.tenants) {
  for (const user of tenant.users) {
    const option = document.createElement("option");
    option.value = JSON.stringify([tenant.id, user]);
    const you = tenant.id === config.tenant && user === config.user;
    option.textContent = `${user} at ${tenant.name}${you ? " (you)" : ""}`;
    option.selected = you;
    to.append(option);
  }
}

// The categories the demo tenants declared (the inbox's tabs).
const category = document.getElementById("category");
for (const { key, labels } of config.categories) {
  category.append(new Option(labels.en, key));
}

const quote = (value) => (value === null ? "NULL" : `'${String(value).replaceAll("'", "''")}'`);
const ran = document.getElementById("ran");

function showSql(result) {
  const params = result.params.map((value, i) => `$${i + 1} = ${quote(value)}`).join(", ");
  const end = result.committed
    ? `COMMIT;    -- notification ${result.id}: the recipient's bell shows it now`
    : `ROLLBACK;  -- notification ${result.id} never existed: nobody is notified`;
  ran.textContent = `BEGIN;\n${result.statement};\n-- ${params}\n${end}`;
}

function showPublish(result) {
  ran.textContent = [
    `${result.request.method} ${result.request.url}`,
    "Authorization: Bearer nbk_… (the tenant's API key, kept by this site's backend)",
    "Content-Type: application/json",
    "",
    JSON.stringify(result.request.body, null, 2),
    "",
    `→ ${result.status} ${JSON.stringify(result.response)}`,
  ].join("\n");
}

document.getElementById("send").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const action = event.submitter?.value ?? "sql";
  const [tenant, recipient] = JSON.parse(form.get("to"));
  if (action === "burst") return sendBurst(tenant, recipient);
  const message = { tenant, recipient, title: form.get("title") };
  if (form.get("body")) message.body = form.get("body");
  message.category = form.get("category");
  const published = action === "publish" || action === "actions";
  const path = published ? "/demo/api/publish" : "/demo/api/sql";
  if (action === "actions") message.withActions = true;
  if (!published) message.rollback = action === "rollback";
  ran.textContent = "Running…";
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
    });
    const result = await response.json();
    if (!response.ok) ran.textContent = `Refused: ${result.error?.message ?? response.status}`;
    else if (published) showPublish(result);
    else showSql(result);
  } catch (error) {
    ran.textContent = `Failed: ${error.message}`;
  }
});

async function sendBurst(tenant, recipient) {
  ran.textContent = "Running…";
  try {
    const response = await fetch("/demo/api/burst", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant, recipient }),
    });
    const result = await response.json();
    if (!response.ok) ran.textContent = `Refused: ${result.error?.message ?? response.status}`;
    else
      ran.textContent = result
        .map(
          ({ request, status }) =>
            `POST ${request.url}  ${JSON.stringify(request.body)}  → ${status}`,
        )
        .join("\n");
  } catch (error) {
    ran.textContent = `Failed: ${error.message}`;
  }
}

// What the element tells the page.
const events = document.getElementById("events");
function logEvent(text, kind) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  events.prepend(item);
  while (events.children.length > 8) events.lastElementChild.remove();
}
bell.addEventListener("notify-receive", (e) =>
  logEvent(`notify-receive  "${e.detail.notification.title}"`, "receive"),
);
bell.addEventListener("notify-error", (e) =>
  logEvent(`notify-error  ${e.detail.code}: ${e.detail.message}`, "error"),
);

// What the server told this site's backend by webhook (the demo's backend keeps the last few).
const webhooks = document.getElementById("webhooks");
const describe = ({ type, data }) =>
  type === "notification.action"
    ? `${type}  ${data.recipient} chose "${data.actionId}" on notification ${data.notificationId}`
    : `${type}  ${data.recipient} read ${data.notificationIds.length} (${data.notificationIds.join(", ")})`;
let shown = "";
async function showWebhooks() {
  const response = await fetch(
    `/demo/api/webhooks?${new URLSearchParams({ tenant: config.tenant })}`,
  );
  if (!response.ok) return;
  const { received } = await response.json();
  const ids = received.map((event) => event.id).join();
  if (received.length === 0 || ids === shown) return;
  shown = ids;
  webhooks.replaceChildren(
    ...received.map((event) => {
      const item = document.createElement("li");
      item.className = "receive";
      item.textContent = `${describe(event)}  · signature verified`;
      return item;
    }),
  );
}
// Only on the server's origin: the second one stands for another site, with no backend here.
if (config.origin === "main") setInterval(() => document.hidden || showWebhooks(), 2000);
else
  webhooks.firstElementChild.textContent =
    "Shown on the server's origin, where this site's backend is.";
