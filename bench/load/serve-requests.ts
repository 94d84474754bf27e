import { createInterface } from "node:readline";

/** The worker side: answers each request line with the handler's result. */
export function serveRequests(handler: (message: Record<string, unknown>) => Promise<unknown>) {
  createInterface({ input: process.stdin }).on("line", (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    handler(message).then(
      (result) =>
        process.stdout.write(`${JSON.stringify({ ...(result as object), id: message.id })}\n`),
      (error: unknown) =>
        process.stdout.write(
          `${JSON.stringify({ id: message.id, error: error instanceof Error ? error.stack : String(error) })}\n`,
        ),
    );
  });
  process.stdin.on("end", () => process.exit(0));
}
