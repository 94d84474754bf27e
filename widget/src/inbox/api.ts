/**
 * The user's inbox API (issue #2, "The interface"). Every call carries the JWT in the
 * `Authorization` header; a 401 asks the token source for a new token and retries once.
 */
import type { TokenSource } from "../live/token.ts";
import type { CategoryJson, CountsJson, InboxFilter, InboxPage, PreferenceJson } from "../types.ts";

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

type CountResponse = CountsJson;

export class NotifyApi {
  constructor(
    private readonly server: string,
    private readonly auth: TokenSource,
  ) {}

  list(
    filter: InboxFilter,
    cursor: string | null,
    limit = 20,
    category: string | null = null,
  ): Promise<InboxPage> {
    const query = new URLSearchParams({ filter, limit: String(limit) });
    if (cursor) query.set("cursor", cursor);
    if (category) query.set("category", category);
    return this.request("GET", `/v1/notifications?${query}`);
  }

  unreadCount(): Promise<CountResponse> {
    return this.request("GET", "/v1/notifications/unread-count");
  }

  /** `keepalive` lets a mark-read started by a click survive the navigation that follows. */
  markRead(ids: string[], keepalive = false): Promise<CountResponse> {
    return this.request("POST", "/v1/notifications/read", { ids }, keepalive);
  }

  markUnread(ids: string[]): Promise<CountResponse> {
    return this.request("POST", "/v1/notifications/unread", { ids });
  }

  /** The user was shown these (one request for everything seen together). */
  markSeen(ids: string[]): Promise<CountResponse> {
    return this.request("POST", "/v1/notifications/seen", { ids });
  }

  /** Records an action; `keepalive` when it is a link the page is leaving through. */
  act(id: string, actionId: string, keepalive: boolean): Promise<CountResponse> {
    return this.request(
      "POST",
      `/v1/notifications/${id}/actions/${encodeURIComponent(actionId)}`,
      undefined,
      keepalive,
    );
  }

  /** Out of lists and counts until `until` (an ISO time), when it comes back as new. */
  snooze(id: string, until: string): Promise<CountResponse> {
    return this.request("POST", `/v1/notifications/${id}/snooze`, { until });
  }

  archive(ids: string[]): Promise<CountResponse> {
    return this.request("POST", "/v1/notifications/archive", { ids });
  }

  /** Marks a group read (or archives it) as one: its unread members up to `upTo`. */
  group(groupKey: string, upTo: string, archive?: boolean): Promise<CountResponse> {
    return this.request("POST", `/v1/notifications/groups/${archive ? "archive" : "read"}`, {
      groupKey,
      upTo,
    });
  }

  /**
   * Marks read everything up to `upTo`, the newest id the user has seen, so a notification
   * arriving while the request is in flight stays unread.
   */
  readAll(upTo: string | null, category: string | null = null): Promise<CountResponse> {
    return this.request("POST", "/v1/notifications/read-all", {
      ...(upTo ? { upTo } : {}),
      ...(category ? { category } : {}),
    });
  }

  /** The tenant's categories, in tab order, with their labels. */
  categories(): Promise<{ categories: CategoryJson[] }> {
    return this.request("GET", "/v1/categories");
  }

  /** The user's preferences, one per category. */
  preferences(): Promise<{ preferences: PreferenceJson[] }> {
    return this.request("GET", "/v1/preferences");
  }

  /** Sets some categories' preferences; answers all of them, and the counts after. */
  setPreferences(
    preferences: PreferenceJson[],
  ): Promise<{ preferences: PreferenceJson[] } & CountResponse> {
    return this.request("PUT", "/v1/preferences", { preferences });
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    keepalive = false,
  ): Promise<T> {
    let token = await this.auth.fresh();
    for (let attempt = 0; ; attempt++) {
      if (!token) throw new ApiError("unauthorized", "No token", 401);
      let res: Response;
      try {
        res = await fetch(this.server + path, {
          method,
          keepalive,
          cache: "no-store",
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        throw new ApiError("network", err instanceof Error ? err.message : String(err));
      }
      if (res.status === 401 && attempt === 0) {
        const fresh = await this.auth.replace(token);
        if (fresh && fresh !== token) {
          token = fresh;
          continue;
        }
      }
      if (res.ok) return (await res.json()) as T;
      throw await errorFrom(res);
    }
  }
}

async function errorFrom(res: Response): Promise<ApiError> {
  try {
    const { error } = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(
      error?.code ?? `http_${res.status}`,
      error?.message ?? res.statusText,
      res.status,
    );
  } catch {
    return new ApiError(`http_${res.status}`, res.statusText, res.status);
  }
}
