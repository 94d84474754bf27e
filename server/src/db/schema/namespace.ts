import { pgSchema } from "drizzle-orm/pg-core";

/** Every table lives in the `notify` schema, so it can share a database with the tenant app. */
export const notify = pgSchema("notify");
