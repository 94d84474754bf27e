/**
 * A database URL fit for logs and banners: without its password. Logs are shipped and kept;
 * a password in them is a password leaked, so say where the password is kept instead.
 */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}
