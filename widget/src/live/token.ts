/**
 * The end user's JWT: the one from the `token` attribute, replaced by what `tokenProvider`
 * returns shortly before `exp` and after any 401, so a page left open for days keeps working.
 * The widget never verifies the token (it has no secret); it only reads `tenant`, `sub` and
 * `exp` to schedule refreshes and to name the per-user connection shared between tabs.
 */

export type TokenProvider = () => string | Promise<string>;

export interface TokenClaims {
  tenant: string;
  sub: string;
  /** Seconds since the epoch, as in the JWT. */
  exp: number | null;
}

/** Refresh this long before `exp`, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 30_000;

export function readClaims(jwt: string): TokenClaims | null {
  const payload = jwt.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))),
    );
    if (typeof claims !== "object" || claims === null) return null;
    return {
      tenant: String(claims.tenant ?? ""),
      sub: String(claims.sub ?? ""),
      exp: typeof claims.exp === "number" ? claims.exp : null,
    };
  } catch {
    return null;
  }
}

export class TokenSource {
  provider: TokenProvider | undefined;
  private token: string | null = null;
  private inFlight: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: (token: string | null) => void) {}

  get current(): string | null {
    return this.token;
  }

  set(token: string | null): void {
    if (token === this.token) return;
    this.token = token || null;
    this.schedule();
    this.onChange(this.token);
  }

  /** The current token, refreshed first when it is about to expire. */
  async fresh(): Promise<string | null> {
    if (this.token && this.expiresWithin(REFRESH_MARGIN_MS / 3) && this.provider) {
      return this.refresh();
    }
    return this.token;
  }

  /**
   * Asks `tokenProvider` for a new token; concurrent callers share one call. Resolves to null
   * when there is no provider or it failed, so callers treat the 401 as final.
   */
  refresh(): Promise<string | null> {
    const provider = this.provider;
    if (!provider) return Promise.resolve(null);
    this.inFlight ??= (async () => {
      try {
        const token = await provider();
        if (typeof token !== "string" || token === "") return null;
        this.set(token);
        return token;
      } catch {
        return null;
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }

  /**
   * A request was refused with `rejected`: the token to retry with. When another caller has
   * already replaced that token, this is the replacement, and the provider is not asked again.
   */
  replace(rejected: string): Promise<string | null> {
    if (this.token && this.token !== rejected) return Promise.resolve(this.token);
    return this.refresh();
  }

  /** Stops the scheduled refresh; `schedule()` arms it again. */
  close(): void {
    clearTimeout(this.timer);
  }

  private expiresWithin(ms: number): boolean {
    const exp = this.token ? readClaims(this.token)?.exp : null;
    return exp != null && exp * 1000 - Date.now() < ms;
  }

  /** Arms the refresh ahead of `exp` again, after `close()`. */
  schedule(): void {
    clearTimeout(this.timer);
    const exp = this.token ? readClaims(this.token)?.exp : null;
    if (exp == null) return;
    // Timers in background tabs run late, which is fine: a late refresh meets a 401 first.
    const delay = Math.max(0, exp * 1000 - Date.now() - REFRESH_MARGIN_MS);
    this.timer = setTimeout(() => void this.refresh(), Math.min(delay, 2 ** 31 - 1));
  }
}
