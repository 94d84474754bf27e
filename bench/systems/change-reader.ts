import type pg from "pg";

/** A changed notification as the peers send it: the recipient, its change number, its JSON. */
export interface ChangedRow {
  recipient: string;
  seq: number;
  json: string;
}

/**
 * The read side shared by the Node baseline and the LISTEN → publish bridges: NOTIFY says
 * whose rows changed (the project's trigger, payload `["tenant","recipient"]`); the rows are
 * read from the table past a cursor, in `seq` order, as notify-bell does. Wake-ups that
 * arrive while a read runs are folded into the next read, which covers every waiting
 * recipient in one query.
 */
export class ChangeReader {
  private pending = new Map<string, number>();
  private running = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly tenant: string,
    private readonly deliver: (rows: ChangedRow[]) => void | Promise<void>,
  ) {}

  /** Reads the recipient's rows with `seq > from` soon. */
  wake(recipient: string, from: number): void {
    const known = this.pending.get(recipient);
    if (known === undefined || from < known) this.pending.set(recipient, from);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.size > 0) {
        const batch = this.pending;
        this.pending = new Map();
        const result = await this.pool.query<{ recipient: string; seq: string; json: string }>(
          `SELECT n.recipient, n.seq::text AS seq,
                  json_build_object('id', n.id::text, 'title', n.title, 'body', n.body,
                    'url', n.url, 'category', n.category, 'data', n.data,
                    'createdAt', n.created_at, 'readAt', n.read_at,
                    'archivedAt', n.archived_at)::text AS json
             FROM unnest($2::text[], $3::bigint[]) AS c(recipient, cursor)
             JOIN notify.notifications n
               ON n.tenant_id = $1 AND n.recipient = c.recipient AND n.seq > c.cursor
            ORDER BY n.recipient, n.seq`,
          [this.tenant, [...batch.keys()], [...batch.values()]],
        );
        await this.deliver(
          result.rows.map((row) => ({
            recipient: row.recipient,
            seq: Number(row.seq),
            json: row.json,
          })),
        );
      }
    } catch (error) {
      console.error("change reader:", error);
    } finally {
      this.running = false;
    }
  }
}

/** LISTENs on the project's channel and calls `onWake` for each recipient of our tenant. */
export async function listen(
  client: pg.Client,
  tenant: string,
  onWake: (recipient: string) => void,
): Promise<void> {
  client.on("notification", (message) => {
    if (message.channel !== "notify_bell" || !message.payload) return;
    const [tenantId, recipient] = JSON.parse(message.payload) as [string, string];
    if (tenantId === tenant) onWake(recipient);
  });
  await client.query("LISTEN notify_bell");
}
