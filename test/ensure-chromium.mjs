#!/usr/bin/env node
// The HTML export is tested in a real browser: Debian's Chromium, driven by playwright-core.
// Before the tests, make sure it is there; install it with apt when this user may.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const browser = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(browser)) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  const sudo = !root && spawnSync("sudo", ["-n", "true"]).status === 0;
  if (!apt || (!root && !sudo)) {
    console.error(`The tests need Chromium at ${browser} (Debian: apt-get install chromium), or its path in CHROMIUM.`);
    process.exit(1);
  }
  const run = (args) => execFileSync(root ? args[0] : "sudo", root ? args.slice(1) : args, { stdio: "inherit" });
  console.error("Installing Debian's chromium for the browser tests…");
  run(["apt-get", "update", "-qq"]);
  run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "chromium"]);
}
