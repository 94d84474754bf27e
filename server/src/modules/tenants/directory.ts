import type { Sql } from "../../db/client.ts";
import type { Logger } from "../../log.ts";

export interface TenantEntry {
  id: string;
  allowedOrigins: ReadonlySet<string>;
  /**
   * HS256 key: the UTF-8 bytes of the signing secret (as jose and jsonwebtoken use it),
   * imported once here rather than by every verification.
   */
  signingKey: CryptoKey;
}

/** Fewest milliseconds between reloads forced by a cache miss (misses are attacker-driven). */
const MISS_RELOAD_INTERVAL_MS = 1_000;

/**
 * Every tenant, held in memory: CORS decisions are synchronous, and verifying a token must
 * not cost a query. Reloaded when the listener hears a tenant change (from any instance),
 * after a reconnect, and on a miss at most once a second.
 */
export class TenantDirectory {
  private byId = new Map<string, TenantEntry>();
  private byKeyHash = new Map<string, string>();
  private origins = new Set<string>();
  private loading: Promise<void> | undefined;
  private stale = false;
  private lastMissReload = 0;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
  ) {}

  get(id: string): TenantEntry | undefined {
    return this.byId.get(id);
  }

  /** Looks a tenant up, reloading once if it is not known yet (created a moment ago). */
  async find(id: string): Promise<TenantEntry | undefined> {
    const entry = this.byId.get(id);
    if (entry || !(await this.reloadAfterMiss())) return entry;
    return this.byId.get(id);
  }

  async findByApiKeyHash(hash: string): Promise<TenantEntry | undefined> {
    let id = this.byKeyHash.get(hash);
    if (id === undefined && (await this.reloadAfterMiss())) id = this.byKeyHash.get(hash);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** A preflight carries no token: it passes for any origin that some tenant allows. */
  isAllowedByAnyTenant(origin: string): boolean {
    return this.origins.has(origin);
  }

  /** Reloads now; concurrent calls share one query, and a call during a load queues one more. */
  reload(): Promise<void> {
    if (this.loading) {
      this.stale = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.stale) {
        this.stale = false;
        void this.reload();
      }
    });
    return this.loading;
  }

  private async reloadAfterMiss(): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastMissReload < MISS_RELOAD_INTERVAL_MS) return false;
    this.lastMissReload = now;
    await this.reload();
    return true;
  }

  private async load(): Promise<void> {
    const rows = await this.sql<
      { id: string; allowedOrigins: string[]; signingSecret: string; apiKeyHash: string }[]
    >`SELECT id, allowed_origins AS "allowedOrigins", signing_secret AS "signingSecret",
             api_key_hash AS "apiKeyHash"
      FROM notify.tenants`;
    const encoder = new TextEncoder();
    const byId = new Map<string, TenantEntry>();
    const byKeyHash = new Map<string, string>();
    const origins = new Set<string>();
    for (const row of rows) {
      byId.set(row.id, {
        id: row.id,
        allowedOrigins: new Set(row.allowedOrigins),
        signingKey: await crypto.subtle.importKey(
          "raw",
          encoder.encode(row.signingSecret),
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["verify"],
        ),
      });
      byKeyHash.set(row.apiKeyHash, row.id);
      for (const origin of row.allowedOrigins) origins.add(origin);
    }
    this.byId = byId;
    this.byKeyHash = byKeyHash;
    this.origins = origins;
    this.log.debug("tenants loaded", { count: rows.length });
  }
}
