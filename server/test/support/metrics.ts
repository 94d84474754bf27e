import { expect } from "vitest";
import { parseMetrics } from "./metrics-text.ts";

/** The server's `/metrics`, as series name (with labels) → value. */
export async function scrapeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await fetch(new URL("/metrics", baseUrl));
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return parseMetrics(await response.text());
}
