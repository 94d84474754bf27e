/** A route as Elysia lists it (`app.routes`). */
export interface Route {
  method: string;
  path: string;
}

/**
 * The methods served at a path, from the app's routes: a request for a path that exists,
 * with a method it does not serve, answers 405 with `Allow` rather than 404. The table is
 * built at the first such request, when every route is registered.
 */
export function allowedMethods(routes: () => readonly Route[]): (path: string) => string[] {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    // Catch-alls (the CORS preflight's `/*`) would make every path "exist".
    table ??= routes()
      .filter(({ path: route }) => !route.includes("*"))
      .map(({ method, path: route }) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(
          `^${route
            .split("/")
            .map((part) =>
              part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
            )
            .join("/")}/?$`,
        ),
      }));
    const methods = new Set<string>();
    for (const { pattern, method } of table) if (pattern.test(path)) methods.add(method);
    return [...methods].sort();
  };
}
