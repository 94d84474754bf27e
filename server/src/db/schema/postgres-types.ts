import { customType } from "drizzle-orm/pg-core";

/**
 * A full 64-bit transaction id (`pg_current_xact_id()`), read as a decimal string: the values
 * outgrow a JavaScript number's exact range long before they wrap.
 */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => "xid8",
});

/** A transaction snapshot (`pg_current_snapshot()`), as Postgres writes it: `xmin:xmax:xip,…`. */
export const pgSnapshot = customType<{ data: string; driverData: string }>({
  dataType: () => "pg_snapshot",
});
