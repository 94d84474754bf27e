import { Webhook } from "standardwebhooks";

/** One delivery as the demo's page shows it: what the tenant's backend learned, and when. */
export interface ReceivedEvent {
  id: string;
  type: string;
  data: unknown;
  receivedAt: string;
}

/** How many deliveries the page can show per tenant; older ones are dropped. */
const KEPT = 8;

/**
 * The demo tenants' backend, as far as webhooks go: it receives the server's signed POSTs,
 * verifies them with the tenant's secret using an independent Standard Webhooks library
 * (`standardwebhooks`, as docs/webhooks.md tells tenants to), and keeps the last few so the
 * page can show what arrived. A real backend would act on them; this one only remembers.
 */
export class WebhookReceiver {
  private readonly received = new Map<string, ReceivedEvent[]>();
  private readonly verifiers = new Map<string, Webhook>();

  setSecret(tenant: string, secret: string): void {
    this.verifiers.set(tenant, new Webhook(secret));
  }

  /** 204 for a verified delivery (a repeat of one already kept is kept once); 401 otherwise. */
  receive(tenant: string, payload: string, headers: Headers): Response {
    const verifier = this.verifiers.get(tenant);
    let event: { type: string; data: unknown };
    try {
      if (!verifier) throw new Error("no such tenant");
      event = verifier.verify(payload, Object.fromEntries(headers)) as typeof event;
    } catch {
      return new Response(null, { status: 401 });
    }
    const id = headers.get("webhook-id") ?? "";
    const list = this.received.get(tenant) ?? [];
    if (!list.some((kept) => kept.id === id)) {
      list.unshift({
        id,
        type: event.type,
        data: event.data,
        receivedAt: new Date().toISOString(),
      });
      this.received.set(tenant, list.slice(0, KEPT));
    }
    return new Response(null, { status: 204 });
  }

  list(tenant: string): ReceivedEvent[] {
    return this.received.get(tenant) ?? [];
  }
}
