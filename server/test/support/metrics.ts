import { expect } from "vitest";

/** The server's `/metrics`, as series name (with labels) → value. */
export async function scrapeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await fetch(new URL("/metrics", baseUrl));
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  const series = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}
