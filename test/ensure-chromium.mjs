#!/usr/bin/env node
// The HTML export is tested in a real browser: Debian's Chromium, driven by playwright-core, and
// its printed PDF read back with poppler's pdftotext (page numbers, the draft mark). Before the
// tests, make sure both are there; install them with apt when this user may.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const browser = process.env.CHROMIUM ?? "/usr/bin/chromium";
const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
const missing = [...(existsSync(browser) ? [] : ["chromium"]), ...(has("pdftotext") ? [] : ["poppler-utils"])];
if (missing.length) {
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync("sudo", ["-n", "true"]).status === 0;
  if (!has("apt-get") || (!root && !sudo)) {
    // Without pdftotext the PDF's text is not checked (the test says so); without Chromium nothing runs.
    if (missing.includes("chromium")) {
      console.error(
        `The tests need Chromium at ${browser} (Debian: apt-get install chromium), or its path in CHROMIUM.`,
      );
      process.exit(1);
    }
  } else {
    const run = (args) => execFileSync(root ? args[0] : "sudo", root ? args.slice(1) : args, { stdio: "inherit" });
    console.error(`Installing Debian's ${missing.join(" and ")} for the browser tests…`);
    run(["apt-get", "update", "-qq"]);
    run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", ...missing]);
  }
}
