import { SignJWT } from "jose";

/**
 * What a site's backend does for its signed-in user: an HS256 JWT with the tenant's signing
 * secret, `tenant` and `sub` claims, and a short life (the widget asks for a new one).
 */
export function mintUserToken(tenant: string, signingSecret: string, user: string) {
  return new SignJWT({ tenant })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user)
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(signingSecret));
}
