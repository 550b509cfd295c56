// What it costs this machine to keep a year's trial-balance rows, apart from consolidate: 250 000
// rows (about as many as the 1 000-entity year has: an entity, an account and a counterparty
// each, and three amounts) kept as objects with bigint amounts, as src/domain/balance.ts holds
// them, and kept in typed arrays. Each in a new process, with consolidate's young generation
// (src/start/bundle.ts). Prints { objects, columns }: microseconds per row, medians of 3 runs.
// Usage: node test/bench/kept-rows.mjs
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROWS = 250_000;
const RUNS = 3;

/** One way of keeping the rows, timed in this process. */
function keep(how) {
  const entities = Array.from({ length: 1000 }, (_, i) => `e${i}`);
  const accounts = Array.from({ length: 300 }, (_, i) => String(1000 + i));
  const started = performance.now();
  let kept; // read at the end, so that the rows are made
  if (how === "objects") {
    const rows = [];
    for (let i = 0; i < ROWS; i++) {
      const debit = 1000 + (i % 977) * 13;
      rows.push({
        entity: entities[i % 1000],
        account: accounts[i % 300],
        counterparty: "",
        opening: 0n,
        debit: BigInt(debit),
        credit: -BigInt(debit + 1),
      });
    }
    kept = rows.length;
  } else {
    const places = new Uint32Array(3 * ROWS);
    const amounts = new Float64Array(3 * ROWS);
    for (let i = 0, k = 0; i < ROWS; i++, k += 3) {
      const debit = 1000 + (i % 977) * 13;
      places[k] = i % 1000;
      places[k + 1] = i % 300;
      places[k + 2] = 0;
      amounts[k] = 0;
      amounts[k + 1] = debit;
      amounts[k + 2] = -(debit + 1);
    }
    kept = places.length / 3;
  }
  return ((performance.now() - started) * 1000) / kept;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const self = fileURLToPath(import.meta.url);
const [, , how] = process.argv;
if (how) console.log(keep(how));
else {
  const timed = (h) =>
    median(
      Array.from({ length: RUNS }, () =>
        Number(execFileSync(process.execPath, ["--max-semi-space-size=4", self, h], { encoding: "utf8" })),
      ),
    );
  console.log(JSON.stringify({ rows: ROWS, objects: timed("objects"), columns: timed("columns") }));
}
