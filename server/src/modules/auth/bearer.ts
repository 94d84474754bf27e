/** The credential in `Authorization: Bearer <credential>`, if that is what the header holds. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
  return match?.[1];
}
