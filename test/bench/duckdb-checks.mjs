#!/usr/bin/env node
// The reference for a whole run: DuckDB doing in SQL, over the same CSV ledgers, the checks
// consolidate does on every posting and voucher, then the trial balance per entity, account and
// counterparty. Prints the counts, so that no part of the work can be left out.
//   node test/bench/duckdb-checks.mjs WORKSPACE_DIR [YEAR]
//
// Every field is read as text and checked, as consolidate does (a typed read_csv would stop at the
// first bad value, or round an amount of three decimals):
// - the row: a series; a voucher number of [0-9A-Za-z_-]; a date YYYY-MM-DD that is a real day;
//   an amount of digits with at most two decimals (E-SCHEMA, E-AMOUNT-*);
// - each posting: its date within the fiscal year (E-DATE-OUTSIDE-YEAR), its account in the chart
//   (E-ACCOUNT-UNKNOWN), its counterparty empty or an entity or member of the group
//   (E-COUNTERPARTY-UNKNOWN); a counterparty that is the entity itself is counted (it is not
//   internal);
// - each voucher (entity, series, number): its postings sum to zero (E-VOUCHER-UNBALANCED), and
//   its number is not used twice with different dates (a stand-in for E-VOUCHER-DUPLICATE, which
//   consolidate finds as a number whose postings do not lie together);
// - each internal pair (giving entity, receiving entity, kind result or balance by account type):
//   both sides sum to zero within the workspace's tolerance (E-INTERNAL-MISMATCH);
// - the trial balance of the postings that passed: debits and credits per entity, account and
//   counterparty.
import { DuckDBInstance } from "@duckdb/node-api";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [dir, yearArg = "2025"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: duckdb-checks.mjs WORKSPACE_DIR [YEAR]");
  process.exit(2);
}
const year = Number(yearArg);
const ws = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8"));
if (ws.fiscalYear || ws.years[year].period) throw new Error("only a calendar fiscal year is supported here");
const ledgers = ws.years[year].ledgers;
if (ledgers.some((l) => !l.entity || !l.path.endsWith(".csv"))) throw new Error("CSV ledgers with an entity only");

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;
const values = (rows) => rows.map((r) => `(${r.map(lit).join(", ")})`).join(", ");
const files = ledgers.map((l) => [resolve(dir, l.path), l.entity]);
const known = [...ws.entities.map((e) => [e.id, "entity"]), ...(ws.members ?? []).map((m) => [m.code, "member"])];
const tolerance = Number(ws.internal?.tolerance ?? "0");

const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const run = (sql) => connection.run(sql);
const one = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson()[0];

await run(`CREATE TABLE files (filename VARCHAR, entity VARCHAR); INSERT INTO files VALUES ${values(files)}`);
await run(`CREATE TABLE known (code VARCHAR, kind VARCHAR); INSERT INTO known VALUES ${values(known)}`);
await run(
  `CREATE TABLE chart AS SELECT * FROM read_csv(${lit(resolve(dir, ws.chart))}, header = true,
     columns = {'number': 'VARCHAR', 'name': 'VARCHAR', 'type': 'VARCHAR'})`,
);
// Each posting once, read as text, with what the checks need: its entity (from the file), the
// account's type (NULL: not in the chart), what its counterparty names (NULL: nothing known).
await run(
  `CREATE TABLE postings AS
   SELECT f.entity, r.series, r.voucher, r.date AS date_text, TRY_CAST(r.date AS DATE) AS date,
          r.account, c.type, r.amount AS amount_text, TRY_CAST(r.amount AS DECIMAL(18, 2)) AS amount,
          coalesce(r.counterparty, '') AS counterparty, k.kind AS counterparty_kind
     FROM read_csv([${files.map(([path]) => lit(path)).join(", ")}], filename = true, header = true,
                   columns = {'series': 'VARCHAR', 'voucher': 'VARCHAR', 'date': 'VARCHAR', 'account': 'VARCHAR',
                              'amount': 'VARCHAR', 'counterparty': 'VARCHAR', 'text': 'VARCHAR'}) r
     JOIN files f USING (filename)
     LEFT JOIN chart c ON c.number = r.account
     LEFT JOIN known k ON k.code = r.counterparty`,
);
await run(
  `CREATE VIEW checked AS
   SELECT *,
          coalesce(series <> '', false) AND regexp_full_match(voucher, '[0-9A-Za-z_-]+') AS row_ok,
          regexp_full_match(date_text, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND date IS NOT NULL AS date_ok,
          date BETWEEN DATE '${year}-01-01' AND DATE '${year}-12-31' AS in_year,
          regexp_full_match(amount_text, '[+-]?[0-9]{1,13}(\\.[0-9]{1,2})?') AS amount_ok,
          counterparty = '' OR counterparty_kind IS NOT NULL AS counterparty_ok
     FROM postings`,
);
await run(
  `CREATE VIEW passed AS
   SELECT * FROM checked
    WHERE row_ok AND date_ok AND in_year AND amount_ok AND type IS NOT NULL AND counterparty_ok`,
);

const results = {
  ...(await one(
    `SELECT count(*) AS postings,
            count(*) FILTER (WHERE NOT coalesce(row_ok, false)) AS bad_series_or_voucher,
            count(*) FILTER (WHERE NOT coalesce(date_ok, false)) AS bad_date,
            count(*) FILTER (WHERE date_ok AND NOT in_year) AS outside_year,
            count(*) FILTER (WHERE NOT coalesce(amount_ok, false)) AS bad_amount,
            count(*) FILTER (WHERE type IS NULL) AS unknown_account,
            count(*) FILTER (WHERE NOT counterparty_ok) AS unknown_counterparty,
            count(*) FILTER (WHERE counterparty = entity) AS counterparty_is_itself
       FROM checked`,
  )),
  ...(await one(
    `SELECT count(*) AS vouchers,
            count(*) FILTER (WHERE total <> 0) AS unbalanced,
            count(*) FILTER (WHERE first_date <> last_date) AS number_reused
       FROM (SELECT entity, series, voucher, sum(amount) AS total, min(date) AS first_date, max(date) AS last_date
               FROM postings GROUP BY entity, series, voucher)`,
  )),
  // As consolidate pairs them: revenue and assets are the giving side, costs and liabilities the
  // receiving side; the kind is result (revenue and costs) or balance.
  ...(await one(
    `SELECT count(*) AS internal_pairs, count(*) FILTER (WHERE abs(difference) > ${tolerance}) AS mismatched_pairs
       FROM (SELECT sum(amount) AS difference
               FROM passed
              WHERE counterparty_kind = 'entity' AND counterparty <> entity
              GROUP BY CASE WHEN type IN ('revenue', 'asset') THEN entity ELSE counterparty END,
                       CASE WHEN type IN ('revenue', 'asset') THEN counterparty ELSE entity END,
                       type IN ('revenue', 'expense'))`,
  )),
  ...(await one(
    `SELECT count(*) AS balances, sum(debit) AS debits, sum(credit) AS credits
       FROM (SELECT entity, account, counterparty,
                    coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debit,
                    coalesce(sum(amount) FILTER (WHERE amount < 0), 0) AS credit
               FROM passed GROUP BY entity, account, counterparty)`,
  )),
};
console.log(JSON.stringify(results));
