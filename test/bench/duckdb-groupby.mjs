#!/usr/bin/env node
// The near-raw reference: DuckDB's GROUP BY entity, account over the same CSV ledgers.
//   node test/bench/duckdb-groupby.mjs WORKSPACE_DIR
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";

const dir = process.argv[2];
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const glob = join(dir, "ledgers", "*.csv").replace(/'/g, "''");
const reader = await connection.runAndReadAll(
  `SELECT filename AS entity, account, sum(amount) AS balance
     FROM read_csv('${glob}', filename = true, header = true,
                   columns = {'series': 'VARCHAR', 'voucher': 'VARCHAR', 'date': 'DATE', 'account': 'VARCHAR',
                              'amount': 'DECIMAL(18,2)', 'counterparty': 'VARCHAR', 'text': 'VARCHAR'})
    GROUP BY ALL ORDER BY ALL`,
);
console.log(`${reader.getRows().length} balances`);
