// Completes package-lock.json for npm ci: the registry mirror this project is built with does not
// serve some foreign-platform optional packages (e.g. @biomejs/cli-darwin-arm64), so npm leaves
// them out of the lockfile, and npm ci then refuses it. This adds an entry for each, marked
// optional with its os/cpu, which npm ci skips on other platforms as usual.
// Run after any dependency change: node .ci/complete-lockfile.cjs package-lock.json
const fs = require("node:fs");
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const osOf = {
  android: "android",
  darwin: "darwin",
  freebsd: "freebsd",
  linux: "linux",
  openbsd: "openbsd",
  openharmony: "openharmony",
  win32: "win32",
};
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => osOf[p]);
    const cpu = parts.find((p) => /^(x64|arm64|arm|ia32|ppc64|riscv64|s390x|loong64)$/.test(p));
    if (!os || !cpu) {
      console.error("cannot place", name);
      continue;
    }
    const e = { version, cpu: [cpu], dev: entry.dev, optional: true, os: [os] };
    if (os === "linux")
      e.libc = [parts.includes("musl") || parts.includes("musleabihf") ? "musl" : "glibc"];
    if (!entry.dev) delete e.dev;
    lock.packages[key] = e;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === "" ? -1 : b === "" ? 1 : a.localeCompare(b),
  ),
);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log("added", added);
