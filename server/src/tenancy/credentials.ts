import { createHash, randomBytes } from "node:crypto";

/** A tenant's JWT signing secret: 256 random bits, base64url. */
export function newSigningSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** A tenant's API key. The prefix makes a leaked key easy to recognise in scanners and logs. */
export function newApiKey(): string {
  return `nbk_${randomBytes(32).toString("base64url")}`;
}

/** Keys are high-entropy random strings, so a plain SHA-256 is the right storage hash. */
export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex");
}
