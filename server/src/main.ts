import "./production-mode.ts";
import { runServer } from "./run-server.ts";

/**
 * The production entry point (`bun server/src/main.ts`): the server alone. `npm start` runs
 * `demo/server/main.ts`, the same server with the demo site mounted when NOTIFY_DEMO is on;
 * nothing here loads the demo's code.
 */
runServer();
