/**
 * The entry point's first import, so it runs before anything loads Elysia, which reads
 * NODE_ENV once, when it is loaded. Outside production Elysia renders the refused value into
 * every validation error: that throws for JSON such as `{"toString":{}}` (a 400 became a 500)
 * and costs the square of the nesting depth. The server never runs in that mode.
 */
process.env.NODE_ENV = "production";
