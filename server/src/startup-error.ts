/**
 * A start-up failure with a known cause: `message` is one line that says what went wrong and
 * what to do about it (which variable to set), printed as is after `notify-bell: failed to
 * start:`. Anything else that fails a start is printed with its own message and code.
 */
export class StartupError extends Error {
  override name = "StartupError";
}

/** One line for any failure: a StartupError as it is, anything else with what it carries. */
export function describeStartupFailure(error: unknown): string {
  if (error instanceof StartupError) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message || error.name;
    return (code && !text.includes(code) ? `${text} (${code})` : text).replace(/\s*\n\s*/g, " ");
  }
  return `${String(error)} (not an Error)`;
}

/** The error a listen on a taken port throws, as Bun and Node word it. */
export function isAddressInUse(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return e?.code === "EADDRINUSE" || /in use/i.test(String(e?.message ?? ""));
}
