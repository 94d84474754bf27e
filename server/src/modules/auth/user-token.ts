import { decodeJwt, errors, jwtVerify } from "jose";
import { ApiError } from "../../http/api-error.ts";
import { isKeyActive, type SigningKey, type TenantDirectory } from "../../tenancy/directory.ts";

/** Who a request speaks for, as proven by the tenant-signed JWT. */
export interface User {
  tenantId: string;
  recipient: string;
  /** Token expiry, ms since epoch. */
  expiresAt: number;
  /** Which of the tenant's secrets verified the token (`SigningKey.id`). */
  keyId: string;
}

/** What a user token must satisfy besides its signature. */
export interface TokenRules {
  directory: TenantDirectory;
  /** Longest `exp - now` accepted, in seconds (NOTIFY_MAX_TOKEN_LIFETIME_SECONDS). */
  maxLifetimeSeconds: number;
}

const MAX_TOKEN_LENGTH = 8_192;
const MAX_RECIPIENT_LENGTH = 256;
/** How far a backend's clock may run ahead of ours before its `iat` counts as the future. */
const IAT_CLOCK_SKEW_SECONDS = 30;
/**
 * The one answer for an unknown tenant and a bad signature, so that tenant ids cannot be
 * probed with tokens signed by anyone.
 */
const NOT_VERIFIED = "the token's signature does not verify for its tenant";
/** A lone surrogate: Postgres would store it as U+FFFD, merging distinct `sub`s into one. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Verifies a user token: HS256 only (so `alg: none` and every other algorithm fail), signed
 * with the tenant's secret, with `tenant`, `sub` and `exp` present and `exp` in the future.
 *
 * The tenant claim is read before the signature is checked, only to pick the key; nothing
 * else is trusted until `jwtVerify` passes.
 */
export async function verifyUserToken(
  token: string,
  { directory, maxLifetimeSeconds }: TokenRules,
): Promise<User> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid("token is too long");
  let tenantClaim: unknown;
  try {
    tenantClaim = decodeJwt(token).tenant;
  } catch {
    throw invalid("token is not a JWT");
  }
  if (typeof tenantClaim !== "string") throw invalid("token has no tenant claim");
  let tenant = await directory.find(tenantClaim);
  if (!tenant) throw invalid(NOT_VERIFIED);

  try {
    let verified: Awaited<ReturnType<typeof verifyWithAnyKey>>;
    try {
      verified = await verifyWithAnyKey(token, tenant.signingKeys);
    } catch (error) {
      // The secret may have been rotated a moment ago on another instance, and this one's
      // reload not come yet: look once more (a reload under way, or one now if none ran in
      // the last second, so forged tokens cost little).
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
      const fresh = await directory.reloaded(tenant.id);
      if (!fresh) throw error;
      tenant = fresh;
      verified = await verifyWithAnyKey(token, fresh.signingKeys);
    }
    const { payload, keyId } = verified;
    // Checked after the signature, so only the tenant's own tokens learn it is disabled.
    if (tenant.disabled) throw invalid("the token's tenant is disabled");
    const sub = payload.sub;
    // A NUL can never be a recipient (Postgres text cannot hold it): every query for this
    // user would fail, and the stream would keep closing as `database_unavailable`.
    if (
      typeof sub !== "string" ||
      sub.length === 0 ||
      sub.length > MAX_RECIPIENT_LENGTH ||
      sub.includes("\0") ||
      LONE_SURROGATE.test(sub)
    ) {
      throw invalid(
        `sub must be well-formed Unicode of 1 to ${MAX_RECIPIENT_LENGTH} characters, without NUL`,
      );
    }
    const now = Date.now() / 1000;
    const exp = payload.exp as number;
    // jose accepts any number, so `exp: 1e999` (Infinity) or the year 9999 would never expire.
    if (!Number.isFinite(exp) || exp - now > maxLifetimeSeconds) {
      throw invalid(`exp must be at most ${maxLifetimeSeconds} seconds from now`);
    }
    if (typeof payload.iat === "number" && payload.iat > now + IAT_CLOCK_SKEW_SECONDS) {
      throw invalid("iat is in the future");
    }
    return {
      tenantId: tenant.id,
      recipient: sub,
      expiresAt: exp * 1000,
      keyId,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof errors.JWTExpired) {
      throw new ApiError(401, "token_expired", "the token has expired: mint a new one");
    }
    if (error instanceof errors.JOSEAlgNotAllowed) throw invalid("only HS256 tokens are accepted");
    if (error instanceof errors.JWSSignatureVerificationFailed) throw invalid(NOT_VERIFIED);
    if (error instanceof errors.JWTClaimValidationFailed) throw invalid(error.message);
    throw invalid("token could not be verified");
  }
}

/**
 * Tries the current secret, then the replaced one while its overlap lasts. Only a bad
 * signature moves on to the next key; any other failure is the token's own.
 */
async function verifyWithAnyKey(token: string, keys: readonly SigningKey[]) {
  const now = Date.now();
  const active = keys.filter((key) => isKeyActive(key, now));
  for (const [index, { key, id }] of active.entries()) {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        requiredClaims: ["exp", "sub", "tenant"],
      });
      return { payload, keyId: id };
    } catch (error) {
      const last = index === active.length - 1;
      if (last || !(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
    }
  }
  throw new errors.JWSSignatureVerificationFailed();
}

function invalid(message: string): ApiError {
  return new ApiError(401, "invalid_token", message);
}
