#!/usr/bin/env node
// npm run bench [-- 100000 1000000 10000000]
// npm run bench -- scaling   (only the reading time against input size, test/bench/scaling.mjs)
// Generates the benchmark workspaces (test/bench/generate.mjs), then times, as whole processes,
// `consolidate <year> --format json` on the CSV and on the SIE4 workspace, DuckDB's GROUP BY over
// the same CSV (the near-raw reference), and hledger and ledger-cli on a journal of the same
// postings (peers; up to 1M postings, their memory makes 10M impractical here). Each run's wall
// time and peak RSS come from GNU time. Results and the machine go to BENCHMARKS.md.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scaling } from "./scaling.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// Only the scaling measurement: its section of BENCHMARKS.md is written again, the rest kept.
if (process.argv[2] === "scaling") {
  const section = scaling();
  const file = join(root, "BENCHMARKS.md");
  const old = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n## Machine\n";
  const start = old.indexOf("## Reading time and input size");
  const next = start >= 0 ? old.indexOf("\n## ", start + 1) : -1;
  const at = start >= 0 ? start : old.indexOf("## Machine");
  const rest = start >= 0 ? (next >= 0 ? old.slice(next + 1) : "") : old.slice(at);
  const text = `${old.slice(0, at)}${section.join("\n")}\n${rest}`;
  writeFileSync(file, text);
  console.log(section.join("\n"));
  process.exit(0);
}
const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ["100000", "1000000", "10000000"]).map(Number);
const PEERS_UP_TO = 1_000_000;
const base = join(process.env.BENCH_DIR ?? tmpdir(), "consolidate-bench");

// DuckDB is the bench's own dependency (test/bench/package.json), installed on first use.
if (!existsSync(join(root, "test", "bench", "node_modules", "@duckdb", "node-api"))) {
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", join(root, "test", "bench")], {
    stdio: "inherit",
  });
}

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
if (!existsSync("/usr/bin/time")) {
  console.error("GNU time is needed to measure peak memory: apt-get install time");
  process.exit(2);
}

/** Runs a command under GNU time: wall seconds and peak RSS in MB, or null when it failed. */
function measure(cmd, args, cwd = root) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", cmd, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const m = /^([\d.]+) (\d+)$/.exec(last);
  if (r.status !== 0 || !m) return { error: r.stderr.trim().split("\n").slice(-3).join(" ") };
  return { seconds: Number(m[1]), mb: Number(m[2]) / 1024 };
}

const results = [];
for (const n of sizes) {
  const dir = join(base, String(n));
  if (!existsSync(join(dir, "consolidate.json"))) {
    console.error(`generating ${n} postings in ${dir} …`);
    execFileSync(process.execPath, [join(root, "test", "bench", "generate.mjs"), dir, String(n)], { stdio: "inherit" });
  }
  const bin = join(root, "bin", "consolidate.js");
  const row = { n };
  row.duckdb = measure(process.execPath, [join(root, "test", "bench", "duckdb-groupby.mjs"), dir]);
  row.csv = measure(process.execPath, [
    bin,
    "2025",
    "--dir",
    dir,
    "--format",
    "json",
    "--out",
    join(dir, "report.json"),
  ]);
  row.sie = measure(process.execPath, [
    bin,
    "2025",
    "--dir",
    join(dir, "sie-workspace"),
    // the SIE workspace shares the CSV workspace's chart and layout, one folder up
    "--allow-outside",
    dir,
    "--format",
    "json",
    "--out",
    join(dir, "report-sie.json"),
  ]);
  if (n <= PEERS_UP_TO) {
    if (has("hledger")) row.hledger = measure("hledger", ["-f", join(dir, "journal.ledger"), "bal"]);
    if (has("ledger")) row.ledger = measure("ledger", ["-f", join(dir, "journal.ledger"), "bal"]);
  }
  results.push(row);
  console.error(JSON.stringify(row));
}

const fmt = (m) => (!m ? "–" : m.error ? "failed" : `${m.seconds.toFixed(2)} s, ${m.mb.toFixed(0)} MB`);
const ratio = (a, b) => (a?.seconds && b?.seconds ? (a.seconds / b.seconds).toFixed(1) : "–");
const rate = (n, m) => (m?.seconds ? `${Math.round(n / m.seconds).toLocaleString("en")}/s` : "–");
const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: "utf8" }).split("\n")[0].trim();
  } catch {
    return "not installed";
  }
};
const duckdbVersion = JSON.parse(
  readFileSync(join(root, "test", "bench", "node_modules", "@duckdb", "node-api", "package.json"), "utf8"),
).version;
const lines = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (test/bench/run.mjs); do not edit by hand. Each figure is one whole",
  "process (start, read, validate, consolidate, report) timed with GNU time: wall time and peak RSS.",
  "Ratios compare runs made in the same session on the same files, since absolute times on shared",
  "machines drift.",
  "",
  "| postings | consolidate, CSV | consolidate, SIE4 | DuckDB GROUP BY (CSV) | hledger bal | ledger bal | CSV rate | ours / DuckDB | SIE / CSV | hledger / ours | ledger / ours |",
  "| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ...results.map(
    (r) =>
      `| ${r.n.toLocaleString("en")} | ${fmt(r.csv)} | ${fmt(r.sie)} | ${fmt(r.duckdb)} | ${fmt(r.hledger)} | ${fmt(r.ledger)} | ${rate(r.n, r.csv)} | ${ratio(r.csv, r.duckdb)} | ${ratio(r.sie, r.csv)} | ${ratio(r.hledger, r.csv)} | ${ratio(r.ledger, r.csv)} |`,
  ),
  "",
  "The data: test/bench/generate.mjs, seeded; 8 entities, about 300 BAS accounts, vouchers of 2–6",
  "balanced postings, about 2 % of postings internal (both twins), one fiscal year; the same postings",
  "as CSV (one file per entity), SIE4 (one file per entity) and one hledger/ledger journal.",
  "consolidate runs with its defaults: once a year's ledgers exceed 16 MB it reads the files in one",
  "thread per core (the main thread and workers); DuckDB also uses every core, hledger and ledger one.",
  "",
  ...scaling(),
  "## Machine",
  "",
  `- CPU: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores`,
  `- Memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `- Node.js ${process.version}; DuckDB (@duckdb/node-api) ${duckdbVersion}; ${version("hledger", ["--version"])}; ${version("ledger", ["--version"])}`,
  `- Measured ${new Date().toISOString().slice(0, 10)}`,
  "",
];
writeFileSync(join(root, "BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
