import { expect } from "vitest";
import { parseMetrics } from "./metrics-text.ts";
import { METRICS_TOKEN } from "./server-process.ts";

/** The server's `/metrics`, as series name (with labels) → value. */
export async function scrapeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await fetch(new URL("/metrics", baseUrl), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return parseMetrics(await response.text());
}
