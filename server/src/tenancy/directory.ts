import { createHash } from "node:crypto";
import type { Sql } from "../db/client.ts";
import type { Logger } from "../log.ts";
import { nextRound } from "../realtime/next-round.ts";

/** A secret that verifies a tenant's user tokens. */
export interface SigningKey {
  /**
   * HS256 key: the UTF-8 bytes of the signing secret (as jose and jsonwebtoken use it),
   * imported once here rather than by every verification.
   */
  key: CryptoKey;
  /** A fingerprint of the secret: a stream keeps it to learn when its secret is retired. */
  id: string;
  /** When it stops being accepted (ms since epoch); undefined for the current secret. */
  until: number | undefined;
}

export interface TenantEntry {
  id: string;
  allowedOrigins: ReadonlySet<string>;
  /** A disabled tenant is known (its API key gets a clear 403) but nothing it signed is. */
  disabled: boolean;
  /** The current secret first, then the replaced one while its overlap lasts. */
  signingKeys: readonly SigningKey[];
}

/** Fewest milliseconds between reloads forced by a miss (misses are attacker-driven). */
const MISS_RELOAD_INTERVAL_MS = 1_000;

/** Whether a key accepts tokens at `now`. */
export function isKeyActive(key: SigningKey, now = Date.now()): boolean {
  return key.until === undefined || now < key.until;
}

/**
 * Every tenant, held in memory: CORS decisions are synchronous, and verifying a token must
 * not cost a query. Reloaded when the listener hears a tenant change (from any instance),
 * after a reconnect, and on a miss at most once a second.
 *
 * What must stay true: a tenant or API key committed before a request arrived is found, on
 * every instance, however many requests miss at once: such a miss waits for a reload that
 * started after it (shared by every miss of the moment, at most one a second), since the
 * listener's wake-up may not have arrived yet. A token whose signature fails for a known
 * tenant (a secret rotated a moment ago, or a forgery) joins a reload under way, or starts one
 * if none ran in the last second, or else is checked once more against what the last reload
 * found, so forged tokens stay cheap and quick to refuse.
 *
 * After every reload, and when a replaced secret's overlap ends, `onChange` handlers run, so
 * open streams whose tenant was deleted or disabled, or whose secret was retired, end.
 */
export class TenantDirectory {
  private byId = new Map<string, TenantEntry>();
  private byKeyHash = new Map<string, { id: string; until: number | undefined }>();
  private origins = new Set<string>();
  private loading: Promise<void> | undefined;
  private stale = false;
  /** A reload that starts after the call: shared, at most one a second. */
  private readonly missReload = nextRound(() => this.fresh(), MISS_RELOAD_INTERVAL_MS);
  private signatureReload: Promise<void> | undefined;
  private signatureReloadAt = Number.NEGATIVE_INFINITY;
  private readonly changeHandlers: (() => void)[] = [];
  private retireTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
  ) {}

  get(id: string): TenantEntry | undefined {
    return this.byId.get(id);
  }

  /** Looks a tenant up, reloading if it is not known yet (created a moment ago). */
  async find(id: string): Promise<TenantEntry | undefined> {
    const entry = this.byId.get(id);
    if (entry) return entry;
    await this.missReload();
    return this.byId.get(id);
  }

  /**
   * The tenant as a reload under way or started now finds it: for a token whose signature
   * fails because its secret was rotated a moment ago on another instance. When a reload ran
   * less than a second ago and none is under way, the tenant as that reload left it: the
   * caller's check may have begun before that reload ended, so it checks once more.
   */
  async reloaded(id: string): Promise<TenantEntry | undefined> {
    if (!this.signatureReload) {
      if (Date.now() - this.signatureReloadAt < MISS_RELOAD_INTERVAL_MS) return this.byId.get(id);
      this.signatureReloadAt = Date.now();
      this.signatureReload = this.fresh().finally(() => {
        this.signatureReload = undefined;
      });
    }
    await this.signatureReload;
    return this.byId.get(id);
  }

  /** The tenant whose current API key, or replaced key still in its overlap, has this hash. */
  async findByApiKeyHash(hash: string): Promise<TenantEntry | undefined> {
    let match = this.activeKey(hash);
    if (match === undefined) {
      await this.missReload();
      match = this.activeKey(hash);
    }
    return match === undefined ? undefined : this.byId.get(match);
  }

  /** A preflight carries no token: it passes for any origin that some enabled tenant allows. */
  isAllowedByAnyTenant(origin: string): boolean {
    return this.origins.has(origin);
  }

  /** Runs `handler` after every reload and whenever a replaced secret's overlap ends. */
  onChange(handler: () => void): void {
    this.changeHandlers.push(handler);
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

  /** Stops the timer that ends overlaps. */
  stop(): void {
    clearTimeout(this.retireTimer);
  }

  private activeKey(hash: string): string | undefined {
    const match = this.byKeyHash.get(hash);
    if (!match || (match.until !== undefined && Date.now() >= match.until)) return undefined;
    return match.id;
  }

  /** A load that started after the call: one under way may predate what the caller needs. */
  private async fresh(): Promise<void> {
    await this.reload();
    if (this.loading) await this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.sql<
      {
        id: string;
        allowedOrigins: string[];
        signingSecret: string;
        apiKeyHash: string;
        previousSigningSecret: string | null;
        previousSecretUntil: number | null;
        previousApiKeyHash: string | null;
        previousKeyUntil: number | null;
        disabled: boolean;
      }[]
    >`SELECT id, allowed_origins AS "allowedOrigins", signing_secret AS "signingSecret",
             api_key_hash AS "apiKeyHash",
             previous_signing_secret AS "previousSigningSecret",
             (extract(epoch FROM previous_secret_expires_at) * 1000)::float8
               AS "previousSecretUntil",
             previous_api_key_hash AS "previousApiKeyHash",
             (extract(epoch FROM previous_key_expires_at) * 1000)::float8 AS "previousKeyUntil",
             disabled_at IS NOT NULL AS disabled
      FROM notify.tenants`;
    const now = Date.now();
    const byId = new Map<string, TenantEntry>();
    const byKeyHash = new Map<string, { id: string; until: number | undefined }>();
    const origins = new Set<string>();
    for (const row of rows) {
      const signingKeys = [await signingKey(row.signingSecret, undefined)];
      const secretUntil = row.previousSecretUntil;
      if (row.previousSigningSecret && secretUntil !== null && secretUntil > now) {
        signingKeys.push(await signingKey(row.previousSigningSecret, secretUntil));
      }
      byId.set(row.id, {
        id: row.id,
        allowedOrigins: new Set(row.allowedOrigins),
        disabled: row.disabled,
        signingKeys,
      });
      byKeyHash.set(row.apiKeyHash, { id: row.id, until: undefined });
      const keyUntil = row.previousKeyUntil;
      if (row.previousApiKeyHash && keyUntil !== null && keyUntil > now) {
        byKeyHash.set(row.previousApiKeyHash, { id: row.id, until: keyUntil });
      }
      if (!row.disabled) for (const origin of row.allowedOrigins) origins.add(origin);
    }
    this.byId = byId;
    this.byKeyHash = byKeyHash;
    this.origins = origins;
    this.log.debug("tenants loaded", { count: rows.length });
    this.scheduleRetirement();
    this.changed();
  }

  /** Runs the change handlers when the next overlap ends, so its streams end on time. */
  private scheduleRetirement(): void {
    clearTimeout(this.retireTimer);
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.byId.values()) {
      for (const key of entry.signingKeys)
        if (key.until !== undefined) next = Math.min(next, key.until);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    // setTimeout holds at most about 24.8 days; overlaps are at most a week.
    this.retireTimer = setTimeout(
      () => {
        this.dropRetiredKeys();
        this.scheduleRetirement();
        this.changed();
      },
      Math.max(next - Date.now(), 0),
    );
    this.retireTimer.unref?.();
  }

  private dropRetiredKeys(): void {
    const now = Date.now();
    for (const [id, entry] of this.byId) {
      const active = entry.signingKeys.filter((key) => isKeyActive(key, now));
      if (active.length !== entry.signingKeys.length) {
        this.byId.set(id, { ...entry, signingKeys: active });
      }
    }
  }

  private changed(): void {
    for (const handler of this.changeHandlers) {
      try {
        handler();
      } catch (error) {
        this.log.error("tenant change handler failed", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}

async function signingKey(secret: string, until: number | undefined): Promise<SigningKey> {
  const bytes = new TextEncoder().encode(secret);
  return {
    key: await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]),
    id: createHash("sha256").update(bytes).digest("base64url").slice(0, 16),
    until,
  };
}
