import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "../../../test/support/database.ts";
import { freePort } from "../../../test/support/postgres.ts";
import { type ServerProcess, startServer } from "../../../test/support/server-process.ts";

/** `npm start` with no DATABASE_URL: the embedded Postgres, and recovering it after a crash. */
const dataDir = mkdtempSync(join(tmpdir(), "notify-embedded-"));
chmodSync(dataDir, 0o755);
let server: ServerProcess | undefined;
let pgPort: number;

afterAll(async () => {
  await server?.stop("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () =>
  startServer({ NOTIFY_DATA_DIR: dataDir, NOTIFY_EMBEDDED_PG_PORT: String(pgPort) });
const postmasterPid = () =>
  Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
const health = async () => (await fetch(new URL("/healthz", server?.url))).json();

/** The banner's Postgres URL, with the password it leaves out (kept in the data folder). */
function printedUrl(output: string[]): string {
  const printed = output.join("\n").match(/Postgres\s+(postgres:\/\/\S+)/)?.[1];
  if (!printed) throw new Error(`no Postgres URL in the banner:\n${output.join("\n")}`);
  const url = new URL(printed);
  url.password = readFileSync(join(dataDir, "owner-password"), "utf8").trim();
  return url.toString();
}

async function tenantCount(url: string): Promise<number> {
  const sql = connect(url, 1);
  try {
    const [row] = await sql`SELECT count(*)::int AS count FROM notify.tenants WHERE id = 'kept'`;
    return row?.count;
  } finally {
    await sql.end();
  }
}

describe("embedded Postgres", () => {
  it("starts one with no configuration and prints its URL, with no password in it", async () => {
    pgPort = await freePort();
    server = await start();
    expect(await health()).toMatchObject({ status: "ok", database: "up" });
    const printed = printedUrl(server.output);
    expect(printed).toContain(`:${pgPort}/`);
    expect(await tenantCount(printed)).toBe(0);
    // Neither the superuser's password nor the owner's reaches the banner or the JSON log.
    const output = server.output.join("\n");
    for (const file of ["postgres-password", "owner-password"]) {
      expect(output).not.toContain(readFileSync(join(dataDir, file), "utf8").trim());
    }
    const created = await fetch(new URL("/v1/admin/tenants", server.url), {
      method: "POST",
      headers: {
        authorization: "Bearer test-admin-token-0123456789",
        "content-type": "application/json",
      },
      body: JSON.stringify({ id: "kept", name: "Kept", allowedOrigins: [] }),
    });
    expect(created.status).toBe(201);
  });

  it("keeps its schema owned by a role that is no superuser", async () => {
    const password = readFileSync(join(dataDir, "postgres-password"), "utf8").trim();
    const sql = connect(`postgres://postgres:${password}@127.0.0.1:${pgPort}/postgres`, 1);
    try {
      const [owner] = await sql`SELECT r.rolname, r.rolsuper, r.rolbypassrls
        FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = 'notify'`;
      expect(owner).toEqual({ rolname: "notify_owner", rolsuper: false, rolbypassrls: false });
      const [server] = await sql`SELECT DISTINCT usename FROM pg_stat_activity
        WHERE application_name = 'notify-bell'`;
      expect(server?.usename).toBe("notify_owner");
    } finally {
      await sql.end();
    }
  });

  it("recovers after the server is killed and leaves its Postgres running", async () => {
    const orphan = postmasterPid();
    await server?.stop("SIGKILL");
    // The old postmaster is still up, holding the port and the data folder.
    expect(() => process.kill(orphan, 0)).not.toThrow();
    server = await start();
    expect(await health()).toMatchObject({ status: "ok", database: "up" });
    expect(postmasterPid()).not.toBe(orphan);
    expect(await tenantCount(printedUrl(server.output))).toBe(1);
  });

  it("recovers from a stale postmaster.pid whose process is gone", async () => {
    await server?.stop("SIGTERM");
    server = undefined;
    // Postgres stopped cleanly and removed its pid file; put back one a crash would leave.
    writeFileSync(
      join(dataDir, "postgres", "postmaster.pid"),
      `999999\n${join(dataDir, "postgres")}\n`,
    );
    server = await start();
    expect(await health()).toMatchObject({ status: "ok", database: "up" });
  });

  it("refuses bad settings at boot, naming the variable", async () => {
    for (const [name, value] of [
      ["PORT", "eighty"],
      ["NOTIFY_HEARTBEAT_MS", "5"],
      ["DATABASE_URL", "mysql://x"],
      ["NOTIFY_ADMIN_TOKEN", "short"],
      ["NOTIFY_LOG_LEVEL", "loud"],
    ] as const) {
      const error = await startServer({ [name]: value }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      expect(error, name).toContain(`exited with 2`);
      expect(error, name).toContain(name);
    }
  });
});
