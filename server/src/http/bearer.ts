import { timingSafeEqual } from "node:crypto";

/** The credential in `Authorization: Bearer <credential>`, if that is what the header holds. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
  return match?.[1];
}

/** Whether `Authorization` carries exactly `expected`, compared in constant time. */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const token = bearerToken(authorization);
  if (!token) return false;
  const given = Buffer.from(token);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
