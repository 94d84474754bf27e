import DataLoader from "dataloader";

/** Reads per query: a bigger burst is split into several queries, run side by side. */
const MAX_BATCH = 500;

/**
 * Gathered until the event loop's I/O callbacks have run: a wake-up burst spans many socket
 * reads, and DataLoader's default (within the current turn) made a batch per read; 10,000
 * wake-ups then took 45 reads a query and seconds instead of milliseconds. Never cached,
 * since every read must see the latest commits.
 */
export function loaderOf<K, V>(load: (keys: readonly K[]) => Promise<(V | Error)[]>) {
  return new DataLoader<K, V>(load, {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });
}

/**
 * Answers a batch: one `read` per tenant (row-level security scopes a query to one tenant)
 * with each distinct request once, then every request from its result by `keyOf`. A failed
 * query fails only its tenant's requests.
 */
export async function batchByTenant<R extends { tenantId: string }, V>(
  requests: readonly R[],
  keyOf: (request: R) => string,
  observe: (size: number) => void,
  read: (tenantId: string, unique: R[]) => Promise<Map<string, V>>,
): Promise<(V | Error)[]> {
  const byTenant = new Map<string, Map<string, R>>();
  for (const request of requests) {
    let unique = byTenant.get(request.tenantId);
    if (!unique) {
      unique = new Map();
      byTenant.set(request.tenantId, unique);
    }
    unique.set(keyOf(request), request);
  }
  const results = new Map<string, V | Error>();
  await Promise.all(
    [...byTenant].map(async ([tenantId, unique]) => {
      observe(unique.size);
      try {
        const answers = await read(tenantId, [...unique.values()]);
        for (const key of unique.keys()) {
          results.set(`${tenantId}\n${key}`, answers.get(key) ?? new Error(`no answer for ${key}`));
        }
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const key of unique.keys()) results.set(`${tenantId}\n${key}`, failure);
      }
    }),
  );
  return requests.map(
    (request) => results.get(`${request.tenantId}\n${keyOf(request)}`) as V | Error,
  );
}
