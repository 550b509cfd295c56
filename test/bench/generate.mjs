#!/usr/bin/env node
// Writes a large, realistic group workspace for the benchmark: N postings over E entities, about
// 300 BAS accounts, vouchers of 2–6 balanced postings, about 2 % internal postings (both twins),
// one fiscal year. The same postings as CSV (one file per entity), as SIE4 (one file per entity)
// and as one hledger/ledger journal. Deterministic: the same N and E give the same files.
//
//   node test/bench/generate.mjs OUT_DIR N [E] [--csv-only] [--quoted]
//
// --csv-only: only the CSV workspace (no SIE, no journal).
// --quoted: only the CSV workspace, with the same postings, its text fields (series, date,
// counterparty, text) all in double quotes; the texts of some vouchers hold doubled quotes ""
// (every 50th), a comma (every 500th) or a line break (every 1000th), so that a reader's quoted
// path is really exercised. Only those texts differ from the unquoted files.
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATED, generatedWith } from "./generated.mjs";

const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const [out, nArg, eArg] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const unknown = flags.filter((f) => f !== "--csv-only" && f !== "--quoted");
if (!out || !nArg || unknown.length) {
  console.error("usage: generate.mjs OUT_DIR N [E] [--csv-only] [--quoted]");
  process.exit(2);
}
const QUOTED = flags.includes("--quoted");
const CSV_ONLY = QUOTED || flags.includes("--csv-only");
const N = Number(nArg);
const E = Number(eArg ?? 8);
const YEAR = 2025;

let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(rand() * list.length)];

// ~300 accounts: the BAS classes in realistic proportions.
const range = (from, count, step) => Array.from({ length: count }, (_, i) => String(from + i * step));
const accounts = {
  asset: [...range(1210, 20, 5), ...range(1510, 25, 10)],
  liability: [...range(2410, 45, 10)],
  revenue: [...range(3010, 60, 15)],
  expense: [...range(4010, 50, 20), ...range(5010, 40, 20), ...range(6010, 40, 20), ...range(7010, 15, 20)],
  finance: [...range(8310, 5, 10), ...range(8410, 5, 10)],
};
const chart = [
  ["1930", "Bank", "asset"],
  ["2091", "Balanserat resultat", "liability"],
  ["2099", "Årets resultat", "liability"],
  ["2999", "Differens interna poster", "liability"],
  ["3999", "Differens interna poster", "revenue"],
  ...accounts.asset.map((a) => [a, `Tillgång ${a}`, "asset"]),
  ...accounts.liability.map((a) => [a, `Skuld ${a}`, "liability"]),
  ...accounts.revenue.map((a) => [a, `Intäkt ${a}`, "revenue"]),
  ...accounts.expense.map((a) => [a, `Kostnad ${a}`, "expense"]),
  ...accounts.finance.map((a) => [a, `Finansiell post ${a}`, a < "8400" ? "revenue" : "expense"]),
];

const entities = Array.from({ length: E }, (_, i) => `e${String(i + 1).padStart(2, "0")}`);
mkdirSync(join(out, "ledgers"), { recursive: true });
if (!CSV_ONLY) mkdirSync(join(out, "sie"), { recursive: true });

/** A buffered line writer: big files without holding them in memory; none (a no-op) for null. */
function writer(path) {
  if (path === null) return { line() {}, flush() {}, end: async () => {} };
  const stream = createWriteStream(path);
  let buffer = [];
  let size = 0;
  return {
    line(s) {
      buffer.push(s);
      size += s.length;
      if (size > 1 << 20) this.flush();
    },
    flush() {
      if (buffer.length) stream.write(buffer.join("\n") + "\n");
      buffer = [];
      size = 0;
    },
    end() {
      this.flush();
      return new Promise((done) => stream.end(done));
    },
  };
}

const csv = Object.fromEntries(entities.map((e) => [e, writer(join(out, "ledgers", `${e}.csv`))]));
const sie = Object.fromEntries(entities.map((e) => [e, writer(CSV_ONLY ? null : join(out, "sie", `${e}.se`))]));
const journal = writer(CSV_ONLY ? null : join(out, "journal.ledger"));
for (const e of entities) {
  csv[e].line("series,voucher,date,account,amount,counterparty,text");
  sie[e].line("#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#PROGRAM bench 1\n#FNAMN " + e);
  sie[e].line(`#RAR 0 ${YEAR}0101 ${YEAR}1231\n#DIM 20 Motpart`);
  for (const [n, name, type] of chart)
    sie[e].line(
      `#KONTO ${n} "${name}"\n#KTYP ${n} ${{ asset: "T", liability: "S", revenue: "I", expense: "K" }[type]}`,
    );
}
const numbers = Object.fromEntries(entities.map((e) => [e, 0]));
let vouchers = 0;
const kr = (ore) =>
  `${ore < 0 ? "-" : ""}${Math.floor(Math.abs(ore) / 100)}.${String(Math.abs(ore) % 100).padStart(2, "0")}`;

/** One voucher of one entity: postings [account, öre, counterparty]. */
function voucher(e, month, postings, text) {
  const no = ++numbers[e];
  const date = `${YEAR}-${String(month).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
  const sieDate = date.replace(/-/g, "");
  sie[e].line(`#VER A ${no} ${sieDate} "${text}"\n{`);
  journal.line(`${date} ${e} A${no} ${text}`);
  const row = QUOTED ? quotedRow(++vouchers, text) : plainRow;
  for (const [account, ore, cp] of postings) {
    csv[e].line(row(no, date, account, kr(ore), cp, text));
    sie[e].line(`#TRANS ${account} {${cp ? `20 ${cp}` : ""}} ${kr(ore)}`);
    journal.line(`    ${e}:${account}${cp ? `:${cp}` : ""}  ${kr(ore)}`);
  }
  sie[e].line("}");
  journal.line("");
  return postings.length;
}

const plainRow = (no, date, account, amount, cp, text) => `A,${no},${date},${account},${amount},${cp},${text}`;
/** The row writer of the quoted variant for the n-th voucher: its text as a CSV field, in quotes. */
function quotedRow(n, text) {
  const field =
    n % 1000 === 321
      ? `"${text}\nandra raden"`
      : n % 500 === 123
        ? `"${text}, kopia"`
        : n % 50 === 7
          ? `"${text} ""brådskande"""`
          : `"${text}"`;
  return (no, date, account, amount, cp) => `"A",${no},"${date}",${account},${amount},"${cp}",${field}`;
}

let written = 0;
while (written < N) {
  const month = 1 + Math.floor(rand() * 12);
  const e = pick(entities);
  if (rand() < 0.01) {
    // An internal invoice: the seller's revenue and receivable, the buyer's cost and payable.
    const buyer = pick(entities.filter((x) => x !== e));
    const ore = 1000 + Math.floor(rand() * 5_000_000);
    written += voucher(
      e,
      month,
      [
        [pick(accounts.asset), ore, buyer],
        [pick(accounts.revenue), -ore, buyer],
      ],
      "Intern faktura",
    );
    written += voucher(
      buyer,
      month,
      [
        [pick(accounts.expense), ore, e],
        [pick(accounts.liability), -ore, e],
      ],
      "Intern faktura",
    );
    continue;
  }
  const n = 2 + Math.floor(rand() * 5);
  const lines = [];
  let total = 0;
  for (let i = 0; i < n - 1; i++) {
    const kind = rand() < 0.5 ? "expense" : rand() < 0.6 ? "revenue" : pick(["asset", "liability", "finance"]);
    const ore = (kind === "revenue" ? -1 : 1) * (100 + Math.floor(rand() * 2_000_000));
    lines.push([pick(accounts[kind]), ore, ""]);
    total += ore;
  }
  lines.push(["1930", -total, ""]);
  written += voucher(e, month, lines, "Verifikation");
}
await Promise.all([...Object.values(csv), ...Object.values(sie), journal].map((w) => w.end()));

const ledgers = (dir, ext) => entities.map((e) => ({ path: `${dir}/${e}.${ext}`, entity: e }));
const group = (sources) => ({
  name: "Benchmarkkoncernen",
  chart: "chart.csv",
  layouts: { [YEAR]: "layout.json" },
  closing: { resultAccount: "2099", retainedEarningsAccount: "2091" },
  internal: { differenceAccounts: { result: "3999", balance: "2999" } },
  entities: entities.map((id) => ({ id, name: `Enhet ${id}` })),
  years: { [YEAR]: { ledgers: sources } },
});
const line = (id, label, accounts, sign = -1) => ({ id, label, kind: "line", sign, select: [{ accounts }] });
const layout = {
  statements: [
    {
      id: "income",
      title: "Resultaträkning",
      scopes: ["group", "entities"],
      sign: -1,
      rows: [
        line("intakter", "Verksamhetens intäkter", ["3000-3998"]),
        line("kostnader", "Verksamhetens kostnader", ["4000-7999"]),
        line("differens", "Differens interna poster", ["3999"]),
        line("finansiella", "Finansiella poster", ["8000-8999"]),
        {
          id: "resultat",
          label: "Årets resultat",
          kind: "total",
          sum: ["intakter", "kostnader", "differens", "finansiella"],
        },
      ],
    },
    {
      id: "balance",
      title: "Balansräkning",
      scopes: ["group"],
      rows: [
        line("tillgangar", "Tillgångar", ["1000-1999"], 1),
        line("eget-kapital", "Eget kapital", ["2000-2099"]),
        line("skulder", "Skulder", ["2100-2999"]),
      ],
    },
  ],
};
writeFileSync(join(out, "chart.csv"), `number,name,type\n${chart.map((a) => a.join(",")).join("\n")}\n`);
writeFileSync(join(out, "layout.json"), JSON.stringify(layout, null, 2));
if (!CSV_ONLY) {
  mkdirSync(join(out, "sie-workspace"), { recursive: true });
  const sieGroup = group(ledgers("../sie", "se").map((s) => ({ ...s, motpartDimension: 20 })));
  writeFileSync(
    join(out, "sie-workspace", "consolidate.json"),
    JSON.stringify({ ...sieGroup, chart: "../chart.csv", layouts: { [YEAR]: "../layout.json" } }, null, 2),
  );
}
writeFileSync(join(out, GENERATED), `${JSON.stringify(generatedWith(N, E, flags))}\n`);
// Last: the bench takes a workspace with consolidate.json for a complete one.
writeFileSync(join(out, "consolidate.json"), JSON.stringify(group(ledgers("ledgers", "csv")), null, 2));
console.log(JSON.stringify({ postings: written, entities: E, year: YEAR, quoted: QUOTED }));
