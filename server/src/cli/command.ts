import { parseArgs } from "node:util";
import { getSchemaValidator } from "elysia";
import { ApiError } from "../http/api-error.ts";
import {
  type CreateTenantInput,
  createTenantBody,
  DEFAULT_OVERLAP_SECONDS,
  MAX_OVERLAP_SECONDS,
} from "../modules/admin/model.ts";
import { type CategoryInput, categoryBody } from "../modules/categories/model.ts";
import { type PublishInput, publishBody } from "../modules/publish/model.ts";
import { checkPublishInput } from "../modules/publish/service.ts";

/** What `npm run notify -- …` was asked to do, checked before any database is touched. */
export type Command =
  | { name: "help" }
  | { name: "list" }
  | { name: "create"; input: CreateTenantInput }
  | { name: "update"; id: string; newName?: string; addOrigins: string[]; removeOrigins: string[] }
  | { name: LifecycleAction; id: string; overlapSeconds: number }
  | { name: "category list"; tenant: string }
  | { name: "category set"; tenant: string; key: string; input: CategoryInput }
  | { name: "category delete"; tenant: string; key: string }
  | { name: "token"; tenant: string; user: string; ttlSeconds: number }
  | { name: "notify"; tenant: string; user: string; input: PublishInput };

export type LifecycleAction = "rotate-secret" | "rotate-key" | "disable" | "enable" | "delete";

/** The command line is wrong: exit 2 with the usage. */
export class UsageError extends Error {}

/** Longest user token `notify token` mints: a day, the server's default longest lifetime. */
export const MAX_CLI_TOKEN_SECONDS = 24 * 3600;
const DEFAULT_CLI_TOKEN_SECONDS = 3600;

export const usage = `Usage: npm run notify -- <command> [options]

Tenants:
  tenant create --id <id> [--name <name>] [--origin <origin>]...
      Create a tenant and print it as JSON, with its signingSecret and apiKey.
      They are shown this once only (just a hash of the API key is stored).
        --id      lowercase letters, digits, - and _ (up to 63; starts with a letter or digit)
        --name    display name, 1 to 200 characters (default: the id)
        --origin  exact origin whose pages may use the API, like http://localhost:5173;
                  repeat for several (up to 50). Add more later with tenant update.

  tenant update --id <id> [--name <name>] [--add-origin <origin>]... [--remove-origin <origin>]...
      Rename a tenant, or allow or stop allowing origins; prints the tenant as JSON.

  tenant list
      Print every tenant as JSON: id, name, allowed origins, creation time. No secrets.

  tenant rotate-secret --id <id> [--overlap <seconds>]
  tenant rotate-key --id <id> [--overlap <seconds>]
      Replace the tenant's signing secret (or API key) and print the new one as JSON, shown
      this once. The old one is still accepted for --overlap seconds (default ${DEFAULT_OVERLAP_SECONDS},
      at most ${MAX_OVERLAP_SECONDS}; 0 retires it at once, as after a leak). Streams opened with a
      retired secret end with close reason token_revoked.

  tenant disable --id <id>
  tenant enable --id <id>
      Disable a tenant (its tokens and API key are refused, its streams end, its database
      roles cannot log in; its data is kept), or enable it again.

  tenant delete --id <id>
      Delete a tenant, all its notifications and database roles. Its id can never be used
      again. Cannot be undone.

Categories (the inbox's tabs; a notification's category must be declared first):
  category list --tenant <id>
      Print the tenant's categories as JSON, in tab order.

  category set --tenant <id> --key <key> --label <language>=<label>... [--position <n>]
               [--not-mutable]
      Declare a category, or replace its labels, position and mutability; prints it as JSON.
        --label        one per language, like --label en=Comments --label ko=댓글 (up to 20)
        --position     tabs are ordered by position, then key (default 0)
        --not-mutable  users may not turn it off (security alerts, say)

  category delete --tenant <id> --key <key>
      Remove a category no notification uses, and every user's preference for it.

Trying it out:
  token --tenant <id> --user <user> [--ttl <seconds>]
      Mint a user token signed with the tenant's current secret, as a site's backend would,
      and print it alone on stdout (for TOKEN=$(npm run --silent notify -- token …)).
      --ttl: lifetime in seconds, default ${DEFAULT_CLI_TOKEN_SECONDS}, at most ${MAX_CLI_TOKEN_SECONDS}.

  notify --tenant <id> --user <user> --title <title> [--body <text>] [--url <url>]
         [--category <key>] [--group-key <key>] [--actor <name>] [--avatar <url>]
         [--action <id>=<label>]... [--action-url <id>=<url>]...
      Insert a notification with SQL, exactly as a tenant app would, and print it as JSON.
      The same limits as the publish API (docs/limits.md) apply.
        --group-key   unread notifications with the same key show as one inbox row
        --actor       who it is from, shown with --avatar (https URL or /path) or initials
        --action      a button, up to two; the first is primary. Clicking one without a URL
                      records it (read it in SQL, or receive it by webhook)
        --action-url  the page a button opens after recording the click

Database: DATABASE_URL when set; otherwise the embedded Postgres in NOTIFY_DATA_DIR
(default .data), used as it is when a running server already started it.

Exit codes: 0 done, 1 failed (for example, the tenant exists), 2 bad usage or input.
`;

const lifecycleActions: readonly LifecycleAction[] = [
  "rotate-secret",
  "rotate-key",
  "disable",
  "enable",
  "delete",
];

/** Which options each command takes; any other given is a usage error, never ignored. */
const allowed: Record<string, readonly OptionName[]> = {
  "tenant create": ["id", "name", "origin"],
  "tenant update": ["id", "name", "add-origin", "remove-origin"],
  "tenant list": [],
  "tenant rotate-secret": ["id", "overlap"],
  "tenant rotate-key": ["id", "overlap"],
  "tenant disable": ["id"],
  "tenant enable": ["id"],
  "tenant delete": ["id"],
  "category list": ["tenant"],
  "category set": ["tenant", "key", "label", "position", "not-mutable"],
  "category delete": ["tenant", "key"],
  token: ["tenant", "user", "ttl"],
  notify: [
    "tenant",
    "user",
    "title",
    "body",
    "url",
    "category",
    "group-key",
    "actor",
    "avatar",
    "action",
    "action-url",
  ],
};

const tenantInput = getSchemaValidator(createTenantBody);
const flagOf: Record<string, string> = { id: "--id", name: "--name", allowedOrigins: "--origin" };

export function parseCommand(args: string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: "help" };
  const command = positionals.join(" ");
  const options = allowed[command];
  if (!options) throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  const extra = optionNames.find((key) => values[key] !== undefined && !options.includes(key));
  if (extra) throw new UsageError(`${command} takes no --${extra}`);
  const need = (key: OptionName): string => {
    const value = values[key];
    if (typeof value !== "string") throw new UsageError(`${command} needs --${key}`);
    return value;
  };

  switch (command) {
    case "tenant list":
      return { name: "list" };
    case "tenant create": {
      const id = need("id");
      const input = { id, name: values.name ?? id, allowedOrigins: values.origin ?? [] };
      const [first] = tenantInput.Errors(input);
      if (first) {
        const field = first.path.split("/")[1] ?? "";
        throw new UsageError(`${flagOf[field] ?? field}: ${first.message}`);
      }
      return { name: "create", input };
    }
    case "tenant update": {
      const id = need("id");
      const addOrigins = values["add-origin"] ?? [];
      const removeOrigins = values["remove-origin"] ?? [];
      if (values.name === undefined && addOrigins.length + removeOrigins.length === 0) {
        throw new UsageError("tenant update needs --name, --add-origin or --remove-origin");
      }
      return { name: "update", id, newName: values.name, addOrigins, removeOrigins };
    }
    case "category list":
      return { name: command, tenant: need("tenant") };
    case "category delete":
      return { name: command, tenant: need("tenant"), key: need("key") };
    case "category set":
      return {
        name: command,
        tenant: need("tenant"),
        key: need("key"),
        input: categoryInput(values),
      };
    case "token":
      return {
        name: "token",
        tenant: need("tenant"),
        user: need("user"),
        ttlSeconds: seconds(
          values.ttl,
          DEFAULT_CLI_TOKEN_SECONDS,
          1,
          MAX_CLI_TOKEN_SECONDS,
          "--ttl",
        ),
      };
    case "notify": {
      const user = need("user");
      return { name: "notify", tenant: need("tenant"), user, input: notifyInput(values, user) };
    }
  }
  const action = lifecycleActions.find((name) => command === `tenant ${name}`) as LifecycleAction;
  return {
    name: action,
    id: need("id"),
    overlapSeconds: seconds(
      values.overlap,
      DEFAULT_OVERLAP_SECONDS,
      0,
      MAX_OVERLAP_SECONDS,
      "--overlap",
    ),
  };
}

const publishInput = getSchemaValidator(publishBody);
const notifyFlagOf: Record<string, string> = {
  recipients: "--user",
  actor: "--actor/--avatar",
  actions: "--action",
  groupKey: "--group-key",
};

/** `notify`'s flags as the publish API's input, refused with the same checks it makes. */
function notifyInput(values: ReturnType<typeof parse>["values"], user: string): PublishInput {
  if (values.avatar !== undefined && values.actor === undefined) {
    throw new UsageError("--avatar needs --actor");
  }
  const urls = new Map((values["action-url"] ?? []).map((pair) => split(pair, "--action-url")));
  const actions = (values.action ?? []).map((pair, index) => {
    const [id, label] = split(pair, "--action");
    const url = urls.get(id);
    urls.delete(id);
    return { id, label, style: index === 0 ? "primary" : "secondary", ...(url && { url }) };
  });
  const [orphan] = urls.keys();
  if (orphan !== undefined) throw new UsageError(`--action-url ${orphan}: no --action ${orphan}`);
  const input = {
    recipients: [user],
    title: values.title as string,
    body: values.body,
    url: values.url,
    category: values.category,
    groupKey: values["group-key"],
    actor:
      values.actor === undefined ? undefined : { name: values.actor, avatarUrl: values.avatar },
    actions: actions.length > 0 ? actions : undefined,
  };
  const [first] = publishInput.Errors(input);
  if (first) {
    const field = first.path.split("/")[1] ?? "";
    throw new UsageError(`${notifyFlagOf[field] ?? `--${field}`}: ${first.message}`);
  }
  try {
    checkPublishInput(input as PublishInput);
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(error.message);
    throw error;
  }
  return input as PublishInput;
}

const categoryValidator = getSchemaValidator(categoryBody);

/** `category set`'s flags as the admin API's body, refused by the same schema. */
function categoryInput(values: ReturnType<typeof parse>["values"]): CategoryInput {
  const labels = (values.label ?? []).map((pair) => split(pair, "--label", "<language>=<label>"));
  if (labels.length === 0) throw new UsageError("category set needs --label <language>=<label>");
  const position = values.position;
  if (position !== undefined && !/^\d+$/.test(position)) {
    throw new UsageError("--position: a whole number");
  }
  const input = {
    labels: Object.fromEntries(labels),
    ...(position !== undefined && { position: Number(position) }),
    mutable: !values["not-mutable"],
  };
  if (new Set(labels.map(([language]) => language)).size !== labels.length) {
    throw new UsageError("--label: one per language");
  }
  const [first] = categoryValidator.Errors(input);
  if (first) {
    const field = first.path.split("/")[1] ?? "";
    throw new UsageError(`${field === "labels" ? "--label" : `--${field}`}: ${first.message}`);
  }
  return input;
}

/** `<id>=<rest>`: ids and language tags cannot contain `=`, so the first one splits. */
function split(
  pair: string,
  flag: string,
  form = flag === "--action" ? "<id>=<label>" : "<id>=<url>",
): [string, string] {
  const at = pair.indexOf("=");
  if (at < 1) throw new UsageError(`${flag}: write it as ${form}`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function seconds(
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  flag: string,
) {
  const value = raw ?? String(fallback);
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag}: a whole number of seconds from ${min} to ${max}`);
  }
  return Number(value);
}

const optionNames = [
  "id",
  "name",
  "origin",
  "add-origin",
  "remove-origin",
  "overlap",
  "tenant",
  "user",
  "ttl",
  "title",
  "body",
  "url",
  "category",
  "group-key",
  "actor",
  "avatar",
  "action",
  "action-url",
  "key",
  "label",
  "position",
  "not-mutable",
] as const;
type OptionName = (typeof optionNames)[number];

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      origin: { type: "string", multiple: true },
      "add-origin": { type: "string", multiple: true },
      "remove-origin": { type: "string", multiple: true },
      overlap: { type: "string" },
      tenant: { type: "string" },
      user: { type: "string" },
      ttl: { type: "string" },
      title: { type: "string" },
      body: { type: "string" },
      url: { type: "string" },
      category: { type: "string" },
      "group-key": { type: "string" },
      actor: { type: "string" },
      avatar: { type: "string" },
      action: { type: "string", multiple: true },
      "action-url": { type: "string", multiple: true },
      key: { type: "string" },
      label: { type: "string", multiple: true },
      position: { type: "string" },
      "not-mutable": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
