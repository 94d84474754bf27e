import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian packages the peers need, and a file each one installs. */
const packages: { name: string; file: string }[] = [
  { name: "pushpin", file: "/usr/bin/pushpin" },
  { name: "nginx", file: "/usr/sbin/nginx" },
  { name: "libnginx-mod-nchan", file: "/usr/lib/nginx/modules/ngx_nchan_module.so" },
  { name: "chromium", file: "/usr/bin/chromium" },
];

/** Installs whichever peer packages are missing (as .ci/run does for Chromium). */
export function ensurePackages(log: (message: string) => void): void {
  const missing = packages.filter((p) => !existsSync(p.file)).map((p) => p.name);
  if (missing.length === 0) return;
  log(`installing ${missing.join(", ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}
