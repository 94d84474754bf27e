import type postgres from "postgres";

/** What a tenant app sends: one notification for one recipient. */
export interface Message {
  tenant: string;
  recipient: string;
  title: string;
  body?: string | undefined;
  /** One of the demo tenants' categories (tenants.ts); the invitation is always "invitations". */
  category?: string | undefined;
  /** Publish it as an invitation: from a person, with Accept and Decline buttons. */
  withActions?: boolean | undefined;
}

/** The demo's action notification: who it is from, and the two buttons. */
const invitation = {
  category: "invitations",
  actor: { name: "Ana Lima" },
  actions: [
    { id: "accept", label: "Accept", style: "primary" },
    { id: "decline", label: "Decline", style: "secondary" },
  ],
};

/** The demo's burst: four people comment on one document within a second, one group. */
const burst = {
  groupKey: "comments:q3-roadmap",
  comments: [
    { actor: "Ana Lima", body: "Can we move the launch to week 32?" },
    { actor: "Bob Kim", body: "Hiring plan looks right to me." },
    { actor: "Chen Wei", body: "Added the budget numbers." },
    { actor: "Dana Cruz", body: "One question about the EU rollout." },
  ],
};

/** The statement a tenant app runs, exactly; the demo shows it next to its parameters. */
export const INSERT_STATEMENT = `INSERT INTO notify.notifications (tenant_id, recipient, title, body, category)
VALUES ($1, $2, $3, $4, $5)
RETURNING id`;

class RolledBack extends Error {}

/**
 * Runs the INSERT in a transaction of its own and commits it, or rolls it back to show that
 * an aborted transaction notifies no one.
 */
export async function insertWithSql(sql: postgres.Sql, message: Message, rollback: boolean) {
  const params = [
    message.tenant,
    message.recipient,
    message.title,
    message.body ?? null,
    message.category ?? null,
  ];
  let id: string | undefined;
  try {
    await sql.begin(async (tx) => {
      const [row] = await tx.unsafe<{ id: string }[]>(INSERT_STATEMENT, params);
      id = String(row?.id);
      if (rollback) throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return { statement: INSERT_STATEMENT, params, id, committed: !rollback };
}

/** The publish API, called the way a tenant's backend calls it: over HTTP with its API key. */
export function publishWithApi(serverUrl: string, apiKey: string, message: Message) {
  return publish(serverUrl, apiKey, {
    recipients: [message.recipient],
    title: message.title,
    ...(message.body ? { body: message.body } : {}),
    ...(message.category ? { category: message.category } : {}),
    ...(message.withActions ? invitation : {}),
  });
}

/**
 * Four comments on one document, one publish each, as they would come from four people: the
 * same `groupKey`, so the inbox shows one row ("Ana Lima and 3 others") and the bell counts one.
 */
export async function publishBurst(serverUrl: string, apiKey: string, recipient: string) {
  const sent = [];
  for (const { actor, body } of burst.comments) {
    sent.push(
      await publish(serverUrl, apiKey, {
        recipients: [recipient],
        title: `${actor} commented on "Q3 roadmap"`,
        body,
        category: "comments",
        groupKey: burst.groupKey,
        actor: { name: actor },
      }),
    );
  }
  return sent;
}

async function publish(serverUrl: string, apiKey: string, body: Record<string, unknown>) {
  const url = `${serverUrl}/v1/notifications`;
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    request: { method: "POST", url, body },
    status: response.status,
    response: (await response.json()) as unknown,
  };
}
