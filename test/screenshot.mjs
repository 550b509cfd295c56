#!/usr/bin/env node
// The README's picture of the HTML export: the Sjuhärad 2013 report's first page in Chromium.
//   npm run screenshot
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const html = execFileSync(
  process.execPath,
  [join(root, "bin", "consolidate.js"), "2013", "--dir", "fixtures/sjuharad", "--format", "html"],
  { cwd: root },
);
const file = join(mkdtempSync(join(tmpdir(), "consolidate-shot-")), "report.html");
writeFileSync(file, html);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const page = await browser.newPage({ viewport: { width: 820, height: 1000 }, deviceScaleFactor: 1 });
await page.goto(`file://${file}`);
await page.screenshot({ path: join(root, "test", "golden", "sjuharad-2013-html.png") });
await browser.close();
console.log("wrote test/golden/sjuharad-2013-html.png");
