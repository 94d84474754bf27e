import { ApiError } from "../http/api-error.ts";

/**
 * How many request transactions each tenant may hold at once. The request pool is shared by
 * every tenant; without this, one tenant's requests stuck behind a lock (its own open
 * transaction, say) take every connection and every other tenant waits with them. With it,
 * a tenant gets at most `perTenant` connections, the rest queue in memory (at most
 * `queuePerTenant` of them, beyond which the request is refused with 503 and `Retry-After`),
 * and the other tenants keep the remainder of the pool.
 *
 * Per process: N instances each give a tenant `perTenant` of their own pool.
 */
export class TenantGate {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(
    readonly perTenant: number,
    readonly queuePerTenant: number = perTenant * 20,
  ) {}

  async run<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    await this.acquire(tenantId);
    try {
      return await work();
    } finally {
      this.release(tenantId);
    }
  }

  private acquire(tenantId: string): Promise<void> {
    const active = this.active.get(tenantId) ?? 0;
    if (active < this.perTenant) {
      this.active.set(tenantId, active + 1);
      return Promise.resolve();
    }
    const queue = this.waiting.get(tenantId) ?? [];
    if (queue.length >= this.queuePerTenant) {
      return Promise.reject(
        new ApiError(503, "tenant_busy", "too many requests for this tenant are in progress", {
          "retry-after": "1",
        }),
      );
    }
    this.waiting.set(tenantId, queue);
    // The slot passes straight from the releasing request to this one: `active` is unchanged.
    return new Promise((resolve) => queue.push(resolve));
  }

  private release(tenantId: string): void {
    const queue = this.waiting.get(tenantId);
    const next = queue?.shift();
    if (next) {
      if (queue?.length === 0) this.waiting.delete(tenantId);
      next();
      return;
    }
    const active = (this.active.get(tenantId) ?? 1) - 1;
    if (active === 0) this.active.delete(tenantId);
    else this.active.set(tenantId, active);
  }
}
