#!/usr/bin/env node
// Reading time against input size, for the inputs that were quadratic (issue 14): one long line,
// one long quoted field, an unclosed quote that runs on over the rows after it, a stray inch mark
// early in a ledger, each from 1 MB to 100 MB beside plain rows of the same size; voucher numbers
// registered in random order with gaps; and the trial balances of many files of one entity joined
// (monthly exports). Linear reading shows as a constant rate (MB/s) down each column. Each file is
// read by the CSV reader (dist/read/csv.js) in a process of its own.
//
//   node test/bench/scaling.mjs [MB …]        (npm run bench -- scaling)
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const HEADER = "series,voucher,date,account,amount,counterparty,text\n";
const row = (i) => `A,${i},2025-05-10,5010,400.00,,Hyra lokal ${i}\n`;

/** Writes a file of about `bytes`: prefix, then filler up to the size, then suffix. */
function write(path, bytes, prefix, filler, suffix = "") {
  const fd = openSync(path, "w");
  writeSync(fd, prefix);
  let written = Buffer.byteLength(prefix);
  let i = 0;
  while (written < bytes) {
    const piece = filler(i++);
    writeSync(fd, piece);
    written += Buffer.byteLength(piece);
  }
  writeSync(fd, suffix);
  closeSync(fd);
}

const rowsFrom = (start) => {
  let n = start;
  return () => {
    let s = "";
    for (let k = 0; k < 2000; k++) s += row(n++);
    return s;
  };
};
const xs = (() => {
  const block = "x".repeat(1 << 20);
  return () => block;
})();

/** The inputs, each about `mb` megabytes. */
const CASES = {
  "plain rows": (path, bytes) => write(path, bytes, HEADER, rowsFrom(1)),
  "one long line": (path, bytes) =>
    write(path, bytes, `${HEADER}${row(1)}A,2,2025-05-10,5010,1.00,,`, xs, `\n${row(3)}`),
  "one long quoted field": (path, bytes) =>
    write(path, bytes, `${HEADER}${row(1)}A,2,2025-05-10,5010,1.00,,"`, xs, `"\n${row(3)}`),
  "a quote not closed, then rows": (path, bytes) =>
    write(path, bytes, `${HEADER}${row(1)}A,2,2025-05-10,5010,1.00,,"Skärm 24\n`, rowsFrom(3)),
  'a stray inch mark (24") early': (path, bytes) =>
    write(path, bytes, `${HEADER}${row(1)}A,2,2025-05-10,5010,1.00,,Skärm 24"\n`, rowsFrom(3)),
};

/** Child mode: read a file with the CSV reader, print the seconds it took. */
async function readOnce(path) {
  const { readCsv } = await import(pathToFileURL(join(root, "dist", "read", "csv.js")).href);
  const started = performance.now();
  let records = 0;
  let errors = 0;
  for await (const batch of readCsv(path, "bench.csv", {}))
    for (const item of batch) {
      if ("record" in item) records++;
      else if ("error" in item) errors++;
    }
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, records, errors }));
}

/** Child mode: register n voucher numbers with gaps, shuffled; print the seconds it took. */
async function registerOnce(n) {
  const { VoucherRegistry } = await import(pathToFileURL(join(root, "dist", "model", "voucher-registry.js")).href);
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const numbers = Array.from({ length: n }, (_, i) => String(2 * i + 1));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [numbers[i], numbers[j]] = [numbers[j], numbers[i]];
  }
  const started = performance.now();
  const registry = new VoucherRegistry();
  for (const x of numbers) registry.add("A", x);
  registry.snapshot();
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
}

/** Child mode: join the trial balances of `files` files of 8 entities, 300 rows each; print the seconds. */
async function joinOnce(files) {
  const { balanceRow, joinRows } = await import(pathToFileURL(join(root, "dist", "domain", "balance.js")).href);
  const lists = Array.from({ length: files }, (_, f) =>
    Array.from({ length: 300 }, (_, a) => balanceRow(`e${f % 8}`, String(1000 + 20 * a), "", 0n, BigInt(f + a), -1n)),
  );
  const started = performance.now();
  const rows = joinRows(lists).length;
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, rows }));
}

const child = (args) =>
  JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: "utf8" }));

/** Runs the measurements; returns the Markdown section for BENCHMARKS.md. */
export function scaling(sizes = [1, 10, 100], base = join(process.env.BENCH_DIR ?? tmpdir(), "consolidate-scaling")) {
  mkdirSync(base, { recursive: true });
  const names = Object.keys(CASES);
  const rows = [];
  for (const mb of sizes) {
    const cells = [];
    for (const name of names) {
      const path = join(base, "input.csv");
      CASES[name](path, mb * 1e6);
      const r = child(["--read", path]);
      rmSync(path);
      cells.push(r);
      console.error(`${mb} MB, ${name}: ${r.seconds.toFixed(2)} s (${r.records} records, ${r.errors} diagnostics)`);
    }
    rows.push({ mb, cells });
  }
  const counts = [100_000, 400_000, 1_600_000];
  const vouchers = counts.map((n) => {
    const r = child(["--vouchers", String(n)]);
    console.error(`${n} shuffled voucher numbers: ${r.seconds.toFixed(2)} s`);
    return { n, ...r };
  });
  const fileCounts = [100, 1_000, 10_000];
  const joins = fileCounts.map((files) => {
    const r = child(["--join", String(files)]);
    console.error(`${files} files of 8 entities joined: ${r.seconds.toFixed(2)} s`);
    return { files, ...r };
  });
  const cell = (mb, r) => `${r.seconds.toFixed(2)} s (${Math.round(mb / r.seconds)} MB/s)`;
  return [
    "## Reading time and input size",
    "",
    "Written by `npm run bench` (or `npm run bench -- scaling` alone; test/bench/scaling.mjs). Time for the",
    "CSV reader alone (dist/read/csv.js, in a process of its own) to read a file of each size: plain",
    "ledger rows; one line of that length among them; one quoted field of that length; a quote not",
    "closed early on, with rows after it; a stray inch mark early on, with rows after it. Reading is",
    "linear when the rate (MB/s) stays the same down a column. A line longer than 1 048 576 characters is",
    "refused where it begins (and skipped, never held); a quoted field over more than 100 lines is",
    "taken for a quote not closed, and its lines are read again as rows.",
    "",
    `| MB | ${names.join(" | ")} |`,
    `| --: | ${names.map(() => "--:").join(" | ")} |`,
    ...rows.map((r) => `| ${r.mb} | ${r.cells.map((c) => cell(r.mb, c)).join(" | ")} |`),
    "",
    "Voucher numbers with gaps (1, 3, 5, …) registered in random order, to find a number used twice:",
    "",
    "| vouchers | time | per voucher |",
    "| --: | --: | --: |",
    ...vouchers.map(
      (v) => `| ${v.n.toLocaleString("en")} | ${v.seconds.toFixed(2)} s | ${((v.seconds / v.n) * 1e6).toFixed(2)} µs |`,
    ),
    "",
    "The trial balances of many files of eight entities joined (joinRows; monthly exports, say), 300",
    "rows a file, a file's rows overlapping its entity's other files:",
    "",
    "| files | rows | time | per row |",
    "| --: | --: | --: | --: |",
    ...joins.map(
      (j) =>
        `| ${j.files.toLocaleString("en")} | ${(j.files * 300).toLocaleString("en")} | ${j.seconds.toFixed(2)} s | ${((j.seconds / (j.files * 300)) * 1e6).toFixed(2)} µs |`,
    ),
    "",
  ];
}

const args = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (args[0] === "--read") await readOnce(args[1]);
  else if (args[0] === "--vouchers") await registerOnce(Number(args[1]));
  else if (args[0] === "--join") await joinOnce(Number(args[1]));
  else console.log(scaling(args.length ? args.map(Number) : undefined).join("\n"));
}
