import "../../server/src/production-mode.ts";
import { runServer } from "../../server/src/run-server.ts";
import { isAddressInUse, StartupError } from "../../server/src/startup-error.ts";
import { Demo } from "./index.ts";

/**
 * `npm start`: the server, with the demo site mounted on its origin and a second origin of
 * its own when NOTIFY_DEMO is on (by default with the embedded Postgres on a loopback
 * address). The production entry point, `server/src/main.ts`, is the same server without it.
 */
runServer(({ config, databaseUrl, log }) => {
  if (!config.demo) return undefined;
  const demo = new Demo({
    databaseUrl,
    log,
    host: config.host,
    secondPort: config.demoSecondPort,
    maxBodyBytes: config.maxBodyBytes,
  });
  return {
    routes: demo.routes,
    start: (url) =>
      demo.start(url).catch((error: unknown) => {
        if (!isAddressInUse(error)) throw error;
        throw new StartupError(
          `port ${config.demoSecondPort} on ${config.host} (the demo's second origin) is in use by another program: set NOTIFY_DEMO_SECOND_PORT to a free port, or NOTIFY_DEMO=0`,
        );
      }),
    stop: () => demo.stop(),
  };
});
