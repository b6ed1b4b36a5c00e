// The npm registry mirror on our machines only carries platform-specific packages for
// linux-x64/arm64, so `npm install` here leaves the other platforms' optional packages (rollup,
// msgpackr-extract) out of package-lock.json and `npm ci` then refuses the lockfile as out of
// sync. This adds the entries a lockfile written with the full registry would hold: optional,
// with the os/cpu/libc npm uses to skip them. Run after `npm install` (see README); idempotent.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;

const OS = {
  android: "android",
  darwin: "darwin",
  freebsd: "freebsd",
  linux: "linux",
  openbsd: "openbsd",
  openharmony: "openharmony",
  win32: "win32",
};
const CPU = {
  arm: "arm",
  "arm-eabi": "arm",
  arm64: "arm64",
  ia32: "ia32",
  loong64: "loong64",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
  x64: "x64",
};

/** "@rollup/rollup-linux-arm64-musl" → { os: ["linux"], cpu: ["arm64"], libc: ["musl"] } */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const osIndex = parts.findIndex((part) => part in OS);
  if (osIndex < 0) return null;
  const rest = parts.slice(osIndex + 1);
  const cpuKey = rest[0] === "arm" && rest[1] === "eabi" ? "arm-eabi" : rest[0];
  if (!(cpuKey in CPU)) return null;
  const platform = { os: [OS[parts[osIndex]]], cpu: [CPU[cpuKey]] };
  if (rest.includes("musl") || rest.includes("musleabihf")) platform.libc = ["musl"];
  else if (parts[osIndex] === "linux" && (rest.includes("gnu") || rest.includes("gnueabihf"))) platform.libc = ["glibc"];
  return platform;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location === "" ? "" : `${location}/`;
    const nested = `${base}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const platform = platformOf(name);
    if (!platform) continue; // not a platform package: leave it to npm
    packages[hoisted] = { version, ...platform, optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform-specific optional entries added`);
