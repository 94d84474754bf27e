import { SignJWT } from "jose";
import { ADMIN_TOKEN } from "./server-process.ts";

export interface TestTenant {
  id: string;
  name: string;
  allowedOrigins: string[];
  signingSecret: string;
  apiKey: string;
}

/** Creates a tenant through the real admin API. */
export async function createTenant(
  baseUrl: string,
  id: string,
  allowedOrigins: string[] = [],
): Promise<TestTenant> {
  const response = await fetch(new URL("/v1/admin/tenants", baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ id, name: `Tenant ${id}`, allowedOrigins }),
  });
  if (response.status !== 201)
    throw new Error(`tenant create: ${response.status} ${await response.text()}`);
  return (await response.json()) as TestTenant;
}

/** Mints a user token as a site owner's backend would: HS256 with the tenant's secret. */
export function userToken(
  tenant: Pick<TestTenant, "id" | "signingSecret">,
  sub: string,
  expiresIn: string | number = "1h",
): Promise<string> {
  return new SignJWT({ tenant: tenant.id })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(tenant.signingSecret));
}

/** Calls the API with a bearer credential and a JSON body. */
export async function api(
  baseUrl: string,
  path: string,
  credential: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(new URL(path, baseUrl), {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: `Bearer ${credential}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}
