#!/usr/bin/env node
// npm run bench [-- 100000 1000000 10000000]
// npm run bench -- rows [ID …]   (only the side-by-side rows of issue 17; all of them, or those named)
// npm run bench -- scaling   (only the reading time against input size, test/bench/scaling.mjs)
// npm run bench -- periods [N …]   (only balances and a part of the year beside the year, default 1M)
//
// Every row of issue 17's table is measured side by side: ours and the peer run alternately in
// the same round, BENCH_ROUNDS rounds (default 11) after one run of each not counted; each ratio is
// the median of the rounds' ratios. Then, as whole processes: `consolidate <year> --format json`
// on the CSV and on the SIE4 workspace, DuckDB's GROUP BY over the same CSV (the near-raw
// reference), and hledger and ledger-cli on a journal of the same postings (peers; up to 1M
// postings, their memory makes 10M impractical here). Each run's wall time and peak RSS come from
// GNU time. Results and the machine go to BENCHMARKS.md (`rows` with ids only prints its table).
//
// The workspaces (test/bench/generate.mjs) are kept in $BENCH_DIR/consolidate-bench (default
// /tmp/consolidate-bench): N/ (CSV, SIE4, journal), N-quoted/ and N-e1000/ (1 000 entities), each
// made again when its generated.json says it was made from other options.
// BENCH_1M sets the size that stands for 1M postings in the rows (10M is ten times it), for a
// quick check at a smaller size: BENCH_1M=100000 BENCH_ROUNDS=1 npm run bench -- rows quoted
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GENERATED, generatedWith } from "./generated.mjs";
import { scaling } from "./scaling.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bench = join(root, "test", "bench");

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
const mode = ["periods", "rows"].includes(process.argv[2]) ? process.argv[2] : "all";
const args = process.argv.slice(mode === "all" ? 2 : 3);
// Eleven rounds, not five: on the benchmark's machine (2 cores, shared) one round's ratio varies by
// about ±0.06 (1 000 entities: 1.19-1.34 over 15 rounds), and the median of five moved by ±0.03
// between runs of the bench (1.24-1.33 over eight), as much as a target's margin; the median of
// eleven moves about two thirds as much.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const rounds = `${ROUNDS} round${ROUNDS === 1 ? "" : "s"}`;
const base = join(process.env.BENCH_DIR ?? tmpdir(), "consolidate-bench");
/** The size standing for 1M postings in the rows of issue 17 (10M is ten times it). */
const M = Number(process.env.BENCH_1M ?? 1_000_000);
const sizes = (mode === "rows" ? [] : args.length ? args : mode === "periods" ? [M] : [M / 10, M, 10 * M]).map(Number);
const PEERS_UP_TO = M;
// Balances and a part of the year beside the whole year: up to 1M postings by default (the size
// issue 16 names), or any size asked for with `periods`; rounds of the three commands.
const PERIODS_UP_TO = mode === "periods" ? Infinity : M;

// DuckDB is the bench's own dependency (test/bench/package.json), installed on first use.
if (!existsSync(join(bench, "node_modules", "@duckdb", "node-api"))) {
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", bench], { stdio: "inherit" });
}

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
if (!existsSync("/usr/bin/time")) {
  console.error("GNU time is needed to measure peak memory: apt-get install time");
  process.exit(2);
}

/**
 * Runs a command under GNU time: wall seconds, peak RSS in MB and CPU seconds (user + system), or
 * an error. The wall time is taken here to the microsecond (GNU time gives hundredths, too coarse
 * for `node -e 0`); it includes starting GNU time itself, about a millisecond.
 */
function measure(cmd, args, cwd = root) {
  const started = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S", cmd, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
  if (r.status !== 0 || !m) return { error: r.stderr.trim().split("\n").slice(-3).join(" ") };
  return { seconds, mb: Number(m[1]) / 1024, cpu: Number(m[2]) + Number(m[3]) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const x = (r) => `${r.toFixed(2)}×`;
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

/** A number of postings as the issue writes it: 1M, 125k, 10M. */
const short = (n) => (n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : n.toLocaleString("en"));

/**
 * A workspace of the benchmark, generated on first use, and again when the one in its folder was
 * generated from other options or is incomplete (generated.mjs): `flags` for generate.mjs, `name`
 * its folder.
 */
function workspace(name, n, entities = 8, flags = []) {
  const dir = join(base, name);
  const wanted = JSON.stringify(generatedWith(n, entities, flags));
  const made = join(dir, GENERATED);
  const complete = existsSync(join(dir, "consolidate.json")) && existsSync(made);
  if (!complete || readFileSync(made, "utf8").trim() !== wanted) {
    console.error(`generating ${n} postings, ${entities} entities${flags.map((f) => ` ${f}`).join("")} in ${dir} …`);
    rmSync(dir, { recursive: true, force: true });
    execFileSync(process.execPath, [join(bench, "generate.mjs"), dir, String(n), String(entities), ...flags], {
      stdio: "inherit",
    });
  }
  return dir;
}
/** CSV, SIE4 and the journal of the same postings. */
const plain = (n) => workspace(String(n), n);
/** The same postings as plain(n)'s CSV, every text field in quotes. */
const quoted = (n) => workspace(`${n}-quoted`, n, 8, ["--quoted"]);
/** n postings over e entities, CSV only. */
const spread = (n, e) => workspace(`${n}-e${e}`, n, e, ["--csv-only"]);

const bin = join(root, "bin", "consolidate.js");
/** A command to time: `key` names it among the runs of this process, `run` times it once. */
const command = (key, cmd, args, cwd) => ({ key, run: () => measure(cmd, args, cwd) });
/** The whole year's report of a workspace to standard output (/dev/null). */
const report = (key, dir, format = "json", extra = []) =>
  command(`${key} ${format}`, process.execPath, [bin, "2025", "--dir", dir, "--format", format, ...extra]);
const C = {
  csv: (n, format) => report(`csv ${n}`, plain(n), format),
  // the SIE workspace shares the CSV workspace's chart and layout, one folder up
  sie: (n) => report(`sie ${n}`, join(plain(n), "sie-workspace"), "json", ["--allow-outside", plain(n)]),
  quoted: (n) => report(`quoted ${n}`, quoted(n)),
  spread: (n, e, format) => report(`${e} entities ${n}`, spread(n, e), format),
  groupby: (n) => command(`groupby ${n}`, process.execPath, [join(bench, "duckdb-groupby.mjs"), plain(n)]),
  checks: (n) => command(`checks ${n}`, process.execPath, [join(bench, "duckdb-checks.mjs"), plain(n)]),
  sjuharad: () => command("sjuharad", process.execPath, [bin, "2013"], join(root, "fixtures", "sjuharad")),
  nodeStart: () => command("node -e 0", process.execPath, ["-e", "0"]),
};

/** Every run timed in this process, by command: the rows' rounds serve the tables after them too. */
const runs = new Map();
const warmed = new Set();
/** Times a command once and keeps the result. */
function record(c) {
  const m = c.run();
  runs.set(c.key, [...(runs.get(c.key) ?? []), m]);
  return m;
}
/** One run not counted, the first time a command runs: its files then lie in the page cache. */
function warm(c) {
  if (warmed.has(c.key) || runs.has(c.key)) return;
  warmed.add(c.key);
  c.run();
}
/** At least `n` runs of a command: those timed already, and more if needed. */
function samples(c, n = ROUNDS) {
  warm(c);
  while ((runs.get(c.key) ?? []).length < n) record(c);
  return runs.get(c.key);
}
/** Medians of runs (the runs kept beside them, for their range); or the first error. */
function summary(ms) {
  const error = ms.find((m) => m.error);
  if (error) return error;
  const of = (f) => median(ms.map(f));
  return { seconds: of((m) => m.seconds), mb: of((m) => m.mb), cpu: of((m) => m.cpu), runs: ms };
}

/**
 * Ours and the peer in ROUNDS rounds, alternately (ours first in odd rounds, the peer in even
 * ones), after one run of each not counted. The ratio is the median of the rounds' ratios of wall
 * time, each taken under the same load; their range beside it.
 */
function paired(ours, peer) {
  warm(ours);
  warm(peer);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const pair = i % 2 ? [peer, ours] : [ours, peer];
    const [a, b] = pair.map(record);
    const [o, p] = i % 2 ? [b, a] : [a, b];
    if (o.error || p.error) return { error: o.error ?? p.error };
    rounds.push({ o, p, ratio: o.seconds / p.seconds });
    console.error(
      `  round ${i + 1}: ${o.seconds.toFixed(2)} s / ${p.seconds.toFixed(2)} s = ${x(rounds.at(-1).ratio)}`,
    );
  }
  const ratios = rounds.map((r) => r.ratio);
  return {
    ours: summary(rounds.map((r) => r.o)),
    peer: summary(rounds.map((r) => r.p)),
    ratio: median(ratios),
    range: [Math.min(...ratios), Math.max(...ratios)],
  };
}

// Peak memory is flat when ten times the postings take at most this much more.
const FLAT = 1.1;
const MEMORY_LIMIT = 150;
const E = 1000;
/** Issue 17's table: what is compared, and the target of the ratio. */
const ROWS = [
  {
    id: "checks",
    work: `${short(M)} postings, CSV, report: ours / DuckDB doing the same checks in SQL`,
    target: 1.0,
    run: () => paired(C.csv(M), C.checks(M)),
  },
  {
    id: "groupby",
    work: `${short(M)} postings, CSV: ours / DuckDB plain GROUP BY`,
    target: 2.0,
    run: () => paired(C.csv(M), C.groupby(M)),
  },
  {
    id: "groupby-10m",
    work: `${short(10 * M)} postings, CSV: ours / DuckDB plain GROUP BY`,
    target: 2.5,
    run: () => paired(C.csv(10 * M), C.groupby(10 * M)),
  },
  {
    id: "sie",
    work: `SIE4 / CSV on the same postings, ${short(M)}`,
    target: 1.15,
    run: () => paired(C.sie(M), C.csv(M)),
  },
  {
    id: "sie-10m",
    work: `SIE4 / CSV on the same postings, ${short(10 * M)}`,
    target: 1.15,
    run: () => paired(C.sie(10 * M), C.csv(10 * M)),
  },
  {
    id: "quoted",
    work: `a CSV whose text fields are all quoted / the same unquoted, ${short(M)}`,
    target: 1.2,
    run: () => paired(C.quoted(M), C.csv(M)),
  },
  {
    id: "entities",
    work: `1 000 entities × ${short(M / E)} postings / 8 entities × ${short(M / 8)} postings (JSON report)`,
    target: 1.3,
    run: () => paired(C.spread(M, E, "json"), C.csv(M, "json")),
  },
  {
    id: "entities-text",
    work: `1 000 entities × ${short(M / E)} postings / 8 entities × ${short(M / 8)} postings (text report)`,
    target: 1.3,
    run: () => paired(C.spread(M, E, "text"), C.csv(M, "text")),
  },
  {
    id: "sjuharad",
    work: "the bundled Sjuhärad example, whole run / `node -e 0`",
    target: 4,
    run: () => paired(C.sjuharad(), C.nodeStart()),
  },
  {
    id: "memory",
    work: `peak memory, ${short(10 * M)} / ${short(M)} postings (CSV, JSON report)`,
    target: FLAT,
    targetText: `≤ ${MEMORY_LIMIT} MB each, flat: ≤ ${x(FLAT)}`,
    // The runs of the rows above when they ran, else runs of their own.
    run: () => {
      const [big, small] = [samples(C.csv(10 * M)), samples(C.csv(M))].map(summary);
      if (big.error || small.error) return { error: big.error ?? small.error };
      return { ours: big, peer: small, ratio: big.mb / small.mb, memory: true };
    },
  },
];

function measureRows(ids) {
  const unknown = ids.filter((id) => !ROWS.some((r) => r.id === id));
  if (unknown.length) {
    console.error(`unknown row ${unknown.join(", ")}; the rows: ${ROWS.map((r) => r.id).join(", ")}`);
    process.exit(2);
  }
  return ROWS.filter((r) => !ids.length || ids.includes(r.id)).map((row) => {
    console.error(`${row.id}: ${row.work}, ${rounds}`);
    const load = loadavg()[0];
    const result = row.run();
    if (result.error) console.error(`  failed: ${result.error}`);
    return { ...row, ...result, load };
  });
}

const mb = (m) => `${m.mb.toFixed(0)} MB`;
const sec = (s) => `${s.toFixed(s < 0.1 ? 3 : 2)} s`;
const cell = (m, memory) =>
  memory
    ? `${mb(m)} (${Math.min(...m.runs.map((r) => r.mb)).toFixed(0)}–${Math.max(...m.runs.map((r) => r.mb)).toFixed(0)})`
    : `${sec(m.seconds)}, ${mb(m)}`;
const met = (r) =>
  r.error ? "no" : r.ratio <= r.target && (!r.memory || Math.max(r.ours.mb, r.peer.mb) <= MEMORY_LIMIT) ? "yes" : "no";
const rowLine = (r) =>
  r.error
    ? `| ${r.work} | failed: ${r.error} | | | ${r.targetText ?? `≤ ${x(r.target)}`} | no |`
    : `| ${r.work} | ${cell(r.ours, r.memory)} | ${cell(r.peer, r.memory)} | ${x(r.ratio)}${r.range ? ` (${r.range.map((v) => v.toFixed(2)).join("–")})` : ""} | ${r.targetText ?? `≤ ${x(r.target)}`} | ${met(r)} |`;
const duckdbVersion = () =>
  JSON.parse(readFileSync(join(bench, "node_modules", "@duckdb", "node-api", "package.json"), "utf8")).version;

/** What making and keeping a row costs this machine, as an object and in typed arrays (kept-rows.mjs). */
function keptRows() {
  const { rows, objects, columns } = JSON.parse(
    execFileSync(process.execPath, [join(bench, "kept-rows.mjs")], { encoding: "utf8" }),
  );
  return `${objects.toFixed(2)} µs a row, ${columns.toFixed(2)} µs in typed arrays (${rows.toLocaleString("en")} rows)`;
}

function rowsSection(rows) {
  const loads = rows.map((r) => r.load);
  return [
    "## Issue 17, side by side",
    "",
    "Written by `npm run bench` (or `npm run bench -- rows` alone; `rows ID …` prints some rows without",
    `writing). Each row: ours and the peer as whole processes, alternately in ${rounds} (ours`,
    "first in odd rounds, the peer in even ones) after one run of each not counted, so that the files",
    "lie in the page cache; times and peak RSS are medians of the rounds, the ratio of wall time the",
    "median of the rounds' ratios (their range beside it). consolidate runs `2025 --format json` (or",
    "`text`) with its output to /dev/null and its defaults (one reading thread per core for large",
    "years); DuckDB uses every core too.",
    "",
    "| work | ours | peer | ratio (median, range) | target | met |",
    "| --- | --: | --: | --: | --: | :-: |",
    ...rows.map(rowLine),
    "",
    "- DuckDB doing the same checks (test/bench/duckdb-checks.mjs): every field read as text and",
    "  checked as consolidate does (series, voucher number, a real date, an amount with at most two",
    "  decimals); each posting's date within the fiscal year, its account in chart.csv, its",
    "  counterparty empty or an entity or member of the group (a counterparty that is the entity",
    "  itself counted); each voucher (entity, series, number) summing to zero and its number not used",
    "  with two dates; each internal pair (giving and receiving entity, result or balance) summing to",
    "  zero within the tolerance; then debits and credits per entity, account and counterparty of the",
    "  postings that passed. It prints the counts. Not done in SQL: the SHA-256 of each input file,",
    "  a block of postings repeated within a voucher (E-VOUCHER-REPEATED), where a problem lies (line",
    "  and column) and its wording, the statements and notes built from the trial balance.",
    "- The quoted CSV (test/bench/generate.mjs --quoted): the same postings, series, date,",
    '  counterparty and text all in double quotes; every 50th voucher\'s text holds doubled quotes `""`,',
    "  every 500th a comma, every 1000th a line break. Only those texts differ from the unquoted file.",
    `- 1 000 entities: the same generator with ${short(M)} postings over 1 000 entities (far more`,
    "  internal pairs); the peer is the 8-entity workspace of the same size. The year's trial balance",
    "  has a row per entity, account and counterparty: about a quarter of a million rows here, a few",
    "  thousand for 8 entities. The rows are kept in columns (typed arrays: src/domain/row-table.ts)",
    "  from reading to the report. On this machine, making and keeping rows as objects with bigint",
    "  amounts (as they were before) costs",
    `  ${keptRows()}: test/bench/kept-rows.mjs, medians of 3.`,
    "- The Sjuhärad example: `consolidate 2013` in fixtures/sjuharad, the text report to /dev/null.",
    `- Peak memory: the CSV runs of the rows above (JSON report); flat means ${short(10 * M)} postings take at`,
    `  most ${x(FLAT)} the memory of ${short(M)}; the range is over the runs.`,
    "",
    `${measuredCode()}; measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? "an unknown CPU"},`,
    `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node.js ${process.version}; DuckDB (@duckdb/node-api)`,
    `${duckdbVersion()}. One-minute load average as each row began: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
    "",
  ];
}

if (mode === "rows") {
  const section = rowsSection(measureRows(args));
  if (args.length) console.log(section.join("\n"));
  else replaceSection(section, "## ");
  process.exit(0);
}
const rows = mode === "all" ? measureRows([]) : [];

const results = [];
for (const n of sizes) {
  const dir = plain(n);
  const row = { n };
  if (n <= PERIODS_UP_TO) {
    console.error(`${n} postings: balances, jan-aug and the year, ${ROUNDS} rounds`);
    row.periods = periodRounds(dir, bin);
  }
  if (mode === "periods") {
    results.push(row);
    console.error(JSON.stringify(row));
    continue;
  }
  // The runs of the rows above where they were made, else ROUNDS runs of each.
  console.error(`${n} postings: CSV, SIE4 and DuckDB's GROUP BY`);
  row.csv = summary(samples(C.csv(n)));
  row.sie = summary(samples(C.sie(n)));
  row.duckdb = summary(samples(C.groupby(n)));
  if (n <= PEERS_UP_TO) {
    if (has("hledger")) row.hledger = measure("hledger", ["-f", join(dir, "journal.ledger"), "bal"]);
    if (has("ledger")) row.ledger = measure("ledger", ["-f", join(dir, "journal.ledger"), "bal"]);
  }
  results.push(row);
  console.error(JSON.stringify({ ...row, csv: row.csv.seconds, sie: row.sie.seconds, duckdb: row.duckdb.seconds }));
}

const fmt = (m) => (!m ? "–" : m.error ? "failed" : `${m.seconds.toFixed(2)} s, ${m.mb.toFixed(0)} MB`);
const periodResults = results.filter((r) => r.periods);
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
if (mode === "periods") {
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
const lines = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (test/bench/run.mjs); do not edit by hand. Every figure comes from whole",
  "processes (start, read, validate, consolidate, report) timed with GNU time: wall time and peak RSS.",
  "Ratios compare runs made in the same session on the same files, since absolute times on shared",
  "machines drift.",
  "",
  ...rowsSection(rows),
  "## Whole runs beside DuckDB, hledger and ledger-cli",
  "",
  `consolidate and DuckDB: medians of ${ROUNDS} run${ROUNDS === 1 ? "" : "s"} at least (at the sizes of the rows above, their runs),`,
  "hledger and ledger: one run each.",
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
  `- Node.js ${process.version}; DuckDB (@duckdb/node-api) ${duckdbVersion()}; ${version("hledger", ["--version"])}; ${version("ledger", ["--version"])}`,
  `- Measured ${new Date().toISOString().slice(0, 10)}`,
  "",
];
writeFileSync(join(root, "BENCHMARKS.md"), lines.join("\n"));
console.log(lines.join("\n"));
