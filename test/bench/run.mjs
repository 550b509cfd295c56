#!/usr/bin/env node
// npm run bench [-- 100000 1000000 10000000]
// npm run bench -- scaling   (only the reading time against input size, test/bench/scaling.mjs)
// npm run bench -- periods [N …]   (only balances and a part of the year beside the year, default 1M)
// Generates the benchmark workspaces (test/bench/generate.mjs), then times, as whole processes,
// `consolidate <year> --format json` on the CSV and on the SIE4 workspace, DuckDB's GROUP BY over
// the same CSV (the near-raw reference), and hledger and ledger-cli on a journal of the same
// postings (peers; up to 1M postings, their memory makes 10M impractical here). Each run's wall
// time and peak RSS come from GNU time. Results and the machine go to BENCHMARKS.md.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scaling } from "./scaling.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Writes one section of BENCHMARKS.md again (from its heading to the next), the rest kept; a
 * section not there yet goes before the heading `before`.
 */
function replaceSection(section, before) {
  const file = join(root, "BENCHMARKS.md");
  const old = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n## Machine\n";
  const start = old.indexOf(section[0]);
  const next = start >= 0 ? old.indexOf("\n## ", start + 1) : -1;
  const at = start >= 0 ? start : [before, "## Machine"].map((h) => old.indexOf(h)).find((i) => i >= 0);
  const rest = start >= 0 ? (next >= 0 ? old.slice(next + 1) : "") : old.slice(at);
  writeFileSync(file, `${old.slice(0, at)}${section.join("\n")}\n${rest}`);
  console.log(section.join("\n"));
}

// Only the scaling measurement: its section of BENCHMARKS.md is written again, the rest kept.
if (process.argv[2] === "scaling") {
  replaceSection(scaling(), "## Machine");
  process.exit(0);
}
const onlyPeriods = process.argv[2] === "periods";
const sizeArgs = process.argv.slice(onlyPeriods ? 3 : 2);
const sizes = (sizeArgs.length ? sizeArgs : onlyPeriods ? ["1000000"] : ["100000", "1000000", "10000000"]).map(Number);
const PEERS_UP_TO = 1_000_000;
// Balances and a part of the year beside the whole year: up to 1M postings by default (the size
// issue 16 names), or any size asked for with `periods`; rounds of the three commands.
const PERIODS_UP_TO = onlyPeriods ? Infinity : 1_000_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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

/** Runs a command under GNU time: wall seconds, peak RSS in MB and CPU seconds (user + system), or an error. */
function measure(cmd, args, cwd = root) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", cmd, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const m = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(last);
  if (r.status !== 0 || !m) return { error: r.stderr.trim().split("\n").slice(-3).join(" ") };
  return { seconds: Number(m[1]), mb: Number(m[2]) / 1024, cpu: Number(m[3]) + Number(m[4]) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * `balances <year>`, `<year> --period jan-aug` and the whole year's report (each --format json to
 * standard output, which goes to /dev/null) on the same workspace, in ROUNDS rounds after one run
 * not counted (the files then lie in the page cache for all three). Each round runs the three in
 * turn, starting with a different one each round, so that none is always first or last. Each
 * command's median time and peak RSS; each ratio is the median of the rounds' ratios, a part and
 * the whole year timed in the same round, beside one another, under the same load.
 */
function periodRounds(dir, bin) {
  const run = (...args) => measure(process.execPath, [bin, ...args, "--dir", dir, "--format", "json"]);
  const commands = {
    year: () => run("2025"),
    balances: () => run("balances", "2025"),
    period: () => run("2025", "--period", "jan-aug"),
  };
  const names = Object.keys(commands);
  const load = loadavg()[0];
  const warm = commands.year();
  if (warm.error) return { error: warm.error };
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      round[name] = commands[name]();
      if (round[name].error) return { error: `${name}: ${round[name].error}` };
    }
    rounds.push(round);
    const each = names.map((n) => `${n} ${round[n].seconds.toFixed(2)} s (CPU ${round[n].cpu.toFixed(2)} s)`);
    console.error(`  round ${i + 1}: ${each.join(", ")}`);
  }
  const of = (name) => ({
    seconds: median(rounds.map((r) => r[name].seconds)),
    fastest: Math.min(...rounds.map((r) => r[name].seconds)),
    cpu: median(rounds.map((r) => r[name].cpu)),
    mb: median(rounds.map((r) => r[name].mb)),
  });
  const ratios = (name) => rounds.map((r) => r[name].seconds / r.year.seconds);
  const cpuRatios = (name) => rounds.map((r) => r[name].cpu / r.year.cpu);
  return {
    load,
    year: of("year"),
    balances: of("balances"),
    period: of("period"),
    balancesRatio: median(ratios("balances")),
    periodRatio: median(ratios("period")),
    balancesRange: [Math.min(...ratios("balances")), Math.max(...ratios("balances"))],
    periodRange: [Math.min(...ratios("period")), Math.max(...ratios("period"))],
    balancesCpuRatio: median(cpuRatios("balances")),
    periodCpuRatio: median(cpuRatios("period")),
  };
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
  if (n <= PERIODS_UP_TO) {
    console.error(`${n} postings: balances, jan-aug and the year, ${ROUNDS} rounds`);
    row.periods = periodRounds(dir, bin);
  }
  if (onlyPeriods) {
    results.push(row);
    console.error(JSON.stringify(row));
    continue;
  }
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
/** The commit measured, and whether src differed from it. */
const measuredCode = () => {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: root, encoding: "utf8" }).trim();
    return `consolidate at ${commit}${dirty ? " with changes to src not yet committed" : ""}`;
  } catch {
    return "consolidate";
  }
};
const periodResults = results.filter((r) => r.periods);
const x = (r) => `${r.toFixed(2)}×`;
const within = (r) => (r <= 1.2 ? "yes" : "no");
const timed = (m) => `${m.seconds.toFixed(2)} s (fastest ${m.fastest.toFixed(2)} s), ${m.mb.toFixed(0)} MB`;
const periodRow = (r) => {
  const p = r.periods;
  if (p.error) return `| ${r.n.toLocaleString("en")} | failed: ${p.error} | | | | | | | | | |`;
  const range = ([a, b]) => `${a.toFixed(2)}–${b.toFixed(2)}`;
  return `| ${r.n.toLocaleString("en")} | ${timed(p.year)} | ${timed(p.balances)} | ${timed(p.period)} | ${x(p.balancesRatio)} (${range(p.balancesRange)}) | ${x(p.periodRatio)} (${range(p.periodRange)}) | ${within(Math.max(p.balancesRatio, p.periodRatio))} | ${p.year.cpu.toFixed(2)} s | ${x(p.balancesCpuRatio)} | ${x(p.periodCpuRatio)} | ${p.load.toFixed(2)} |`;
};
const periodSection = () => [
  "## Balances and a part of the year",
  "",
  "Written by `npm run bench` (up to 1M postings), or `npm run bench -- periods [N …]` alone (1M by",
  "default). On the CSV workspace above, as whole processes with `--format json` to /dev/null:",
  "`consolidate 2025` (the whole year, the reference), `consolidate balances 2025` (the saldobalans)",
  "and `consolidate 2025 --period jan-aug`. One run not counted, then rounds of the three in turn,",
  "each round starting with another; times and peak RSS are medians over the rounds (the fastest",
  "run beside it: the one least disturbed by other work), each ratio the median of the rounds' ratios",
  "to the whole year in the same round (their range beside it). Issue 16 asks for both within 1.2× of",
  "the whole year (wall time). CPU is user + system time of the process and its reading threads, less",
  "swayed than wall time by other work on the machine; its ratios are medians of the rounds' too.",
  "",
  "| postings | whole year | balances | jan-aug | balances / year | jan-aug / year | within 1.2× | CPU, whole year | CPU, balances / year | CPU, jan-aug / year | load at start |",
  "| --: | --: | --: | --: | --: | --: | :-: | --: | --: | --: | --: |",
  ...periodResults.map(periodRow),
  "",
  `${measuredCode()}; ${ROUNDS} rounds each; measured ${new Date().toISOString().slice(0, 10)} on the machine below`,
  `(${cpus().length} cores). Load: the one-minute load average as the row's runs began (other work on the machine).`,
  "",
];
if (onlyPeriods) {
  replaceSection(periodSection(), "## Reading time and input size");
  process.exit(0);
}

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
  ...(periodResults.length ? periodSection() : []),
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
