import { Webhook } from "standardwebhooks";
import type { Sql } from "../db/client.ts";
import { errorFields, type Logger } from "../log.ts";

export interface WebhookSenderOptions {
  /** How often the outbox is checked for due deliveries (other instances' events included). */
  pollMs: number;
  /** The first retry's delay; later ones follow `RETRY_SCHEDULE`, scaled from it. */
  firstRetryMs: number;
  /** How long a receiver may take to answer before the attempt counts as failed. */
  timeoutMs: number;
}

/**
 * Retries, as multiples of the first delay: with the default 5 s, 5 s, 30 s, 2 min, 10 min,
 * 30 min, 1 h, 2 h, 4 h, 8 h, 12 h (about 28 h in all). After the last, the delivery is
 * marked failed and stays in the table to be read.
 */
const RETRY_SCHEDULE = [1, 6, 24, 120, 360, 720, 1_440, 2_880, 5_760, 8_640];
/** Deliveries claimed per round; each is sent concurrently. */
const BATCH = 20;
/** A claimed delivery not settled within this is claimed again (its sender died mid-send). */
const LEASE_MS = 60_000;

interface Due {
  id: string;
  eventType: string;
  data: unknown;
  /** ISO 8601, UTC, as the body's `timestamp`. */
  createdAt: string;
  attempts: number;
  url: string | null;
  secret: string | null;
}

/**
 * Sends the webhook outbox (`notify.webhook_deliveries`) as the Standard Webhooks
 * specification says: a JSON body `{ type, timestamp, data }`, and `webhook-id` (the same on
 * every attempt, so receivers can drop repeats), `webhook-timestamp` and `webhook-signature`
 * headers, signed with the tenant's `whsec_` secret.
 *
 * At least once, across restarts and instances: a round claims due rows with a lease
 * (`FOR UPDATE SKIP LOCKED`, so two instances never claim the same row), sends them, and
 * records the outcome. A sender that dies mid-send leaves its lease to expire, and the row
 * is sent again. Redirects are not followed; any answer but 2xx is a failure to retry.
 */
export class WebhookSender {
  private timer: ReturnType<typeof setInterval> | undefined;
  private round: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly options: WebhookSenderOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.wake(), this.options.pollMs);
    this.wake();
  }

  /**
   * Stops polling. A send in flight is not waited for (shutdown stays prompt): its lease
   * expires and the delivery is sent again, which at-least-once allows.
   */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Sends what is due now (called after a request recorded an event, and on every poll). */
  wake(): void {
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.sendDue()
      .catch((error) =>
        this.log.warn("webhook round failed; next round retries", errorFields(error)),
      )
      .finally(() => {
        this.round = undefined;
        if (this.again && this.timer) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      const due = await this.sql<Due[]>`
        UPDATE notify.webhook_deliveries d
        SET attempts = d.attempts + 1,
            next_attempt_at = now() + make_interval(secs => ${LEASE_MS / 1000})
        FROM notify.tenants t
        WHERE t.id = d.tenant_id
          AND d.id IN (SELECT id FROM notify.webhook_deliveries
                       WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                       ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING d.id::text AS id, d.event_type AS "eventType", d.data, to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
                  d.attempts, t.webhook_url AS url, t.webhook_secret AS secret`;
      // One delivery failing to settle must not stop the others; its lease brings it back.
      for (const outcome of await Promise.allSettled(due.map((d) => this.deliver(d)))) {
        if (outcome.status === "rejected") {
          this.log.warn("webhook delivery not settled", errorFields(outcome.reason));
        }
      }
      if (due.length < BATCH) return;
    }
  }

  private async deliver(delivery: Due): Promise<void> {
    if (!delivery.url || !delivery.secret) {
      await this.settle(delivery, "the tenant's webhook was removed", true);
      return;
    }
    const body = JSON.stringify({
      type: delivery.eventType,
      timestamp: delivery.createdAt,
      data: delivery.data,
    });
    const id = `msg_${delivery.id}`;
    const now = new Date();
    let failure: string | undefined;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "notify-bell-webhooks",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": new Webhook(delivery.secret).sign(id, now, body),
        },
        body,
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) failure = `answered ${response.status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure === undefined) {
      await this.sql`UPDATE notify.webhook_deliveries
        SET delivered_at = now(), last_error = NULL WHERE id = ${delivery.id}`;
      return;
    }
    const final = delivery.attempts > RETRY_SCHEDULE.length;
    this.log.warn("webhook delivery failed", {
      id,
      attempt: delivery.attempts,
      error: failure,
      final,
    });
    await this.settle(delivery, failure, final);
  }

  private async settle(delivery: Due, error: string, final: boolean): Promise<void> {
    const delayMs = (RETRY_SCHEDULE[delivery.attempts - 1] ?? 0) * this.options.firstRetryMs;
    await this.sql`UPDATE notify.webhook_deliveries
      SET last_error = ${error.slice(0, 1_000)},
          failed_at = CASE WHEN ${final}::boolean THEN now() END,
          next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
      WHERE id = ${delivery.id}`;
  }
}
