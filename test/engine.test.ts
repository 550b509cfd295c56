import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RowSpec, SelectionSpec } from "../src/domain/config.js";
import { balanceRow, type BalanceRow } from "../src/domain/balance.js";
import { compileSelection, evaluateRows } from "../src/report/engine.js";

const ACCOUNTS = ["1510", "1930", "193010", "2440", "3010", "3590", "359001", "5010", "6591"];
const ENTITIES = ["a", "b", "c"];
const PARTIES = ["", "a", "b", "BOR", "MAR"];

// Everyday amounts mostly, and now and then one near or past 2^50–2^53 öre, where numbers stop being exact.
const size = (max: bigint) =>
  fc.oneof(
    { weight: 20, arbitrary: fc.bigInt({ min: 0n, max: 1_000_000n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 49n, max: 2n ** 54n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max }) },
  );
const row = fc.record({
  entity: fc.constantFrom(...ENTITIES),
  account: fc.constantFrom(...ACCOUNTS),
  counterparty: fc.constantFrom(...PARTIES),
  opening: fc.tuple(size(10n ** 20n), fc.boolean()).map(([x, negative]) => (negative ? -x : x)),
  debit: size(10n ** 20n),
  credit: size(10n ** 20n).map((x) => -x),
});

const selection: fc.Arbitrary<SelectionSpec> = fc.record(
  {
    accounts: fc.subarray(["1000-1999", "1930", "2000-2999", "3000-3999", "5010-6999", "19"], { minLength: 1 }),
    exclude: fc.subarray(["1930", "3590"]),
    entities: fc.subarray(ENTITIES, { minLength: 1 }),
    counterparties: fc.subarray(PARTIES, { minLength: 1 }),
    measure: fc.constantFrom("closing", "opening", "movement", "debit", "credit"),
    sign: fc.constantFrom(1 as const, -1 as const),
  },
  { requiredKeys: ["accounts"] },
);

// Selections that never look at the entity: the engine then adds the rows up across entities first.
const anyEntity = selection.map(({ entities: _entities, ...s }) => s);

const spec = (i: number, select = selection): fc.Arbitrary<RowSpec> =>
  fc.record({
    id: fc.constant(`r${i}`),
    label: fc.constant(`Rad ${i}`),
    kind: fc.constantFrom("line" as const, "by-counterparty" as const),
    select: fc.array(select, { minLength: 1, maxLength: 3 }),
  });

/** What a line is worth, row by row, selection by selection: the definition, without any index. */
function plainly(s: RowSpec, rows: readonly BalanceRow[]) {
  const sels = (s.select ?? []).map((x) => compileSelection(x, 1));
  let total = 0n;
  const parties = new Map<string, bigint>();
  for (const r of rows)
    for (const sel of sels) {
      const v = sel(r);
      if (v === undefined) continue;
      total += v;
      if (r.counterparty !== "") parties.set(r.counterparty, (parties.get(r.counterparty) ?? 0n) + v);
    }
  return { total, parties };
}

describe("the statement engine", () => {
  it.each([
    ["some selecting entities", selection],
    ["none selecting entities (rows added up across entities first)", anyEntity],
  ])("gives every line the same value from a long list of rows (visited by account) as row by row: %s", (_, select) => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1000, maxLength: 2500 }),
        fc.tuple(spec(1, select), spec(2, select), spec(3, select)),
        (rows, specs) => {
          const out = evaluateRows(specs, [rows], 1, { counterpartyNames: new Map() });
          for (const s of specs) {
            const want = plainly(s, rows);
            if (s.kind === "by-counterparty") {
              const got = out.filter((r) => r.id.startsWith(`${s.id}-`));
              expect(new Map(got.map((r) => [r.label, r.values[0]]))).toEqual(want.parties);
            } else expect(out.find((r) => r.id === s.id)!.values[0]).toBe(want.total);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("keeps a line's sum exact past 2^53 öre", () => {
    const rows: BalanceRow[] = Array.from({ length: 1200 }, (_, i) => ({
      entity: ENTITIES[i % 3]!,
      account: "3010",
      counterparty: "",
      opening: 0n,
      debit: 2n ** 50n - 1n,
      credit: 0n,
    }));
    const line: RowSpec = { id: "r", label: "R", kind: "line", select: [{ accounts: ["3000-3999"] }] };
    for (const list of [rows, rows.slice(0, 40)])
      expect(evaluateRows([line], [list], 1, { counterpartyNames: new Map() })[0]!.values[0]).toBe(
        BigInt(list.length) * (2n ** 50n - 1n),
      );
  });
});

describe("a sum row", () => {
  const row = (entity: string, account: string, counterparty: string, debit: bigint) =>
    balanceRow(entity, account, counterparty, 0n, debit, 0n);
  const ctx = { counterpartyNames: new Map([["b", "Bravo"]]) };
  const specs: RowSpec[] = [
    { id: "total", label: "Summa", kind: "total", sum: ["sales", "parties", "zero", "sub"] },
    { id: "sales", label: "Försäljning", kind: "line", select: [{ accounts: ["3010"] }] },
    { id: "parties", label: "Per motpart", kind: "by-counterparty", select: [{ accounts: ["3590"] }] },
    { id: "zero", label: "Noll", kind: "line", omitWhenZero: true, select: [{ accounts: ["5010"] }] },
    { id: "sub", label: "Delsumma", kind: "subtotal", sum: ["sales"] },
  ];

  it("names the rows it adds as they are shown: a by-counterparty line's rows, not a row left out", () => {
    const rows = [row("a", "3010", "", 100n), row("a", "3590", "b", 20n), row("a", "3590", "c", 3n)];
    const out = evaluateRows(specs, [rows], 1, ctx);
    expect(out.map((r) => [r.id, r.sum])).toEqual([
      ["total", ["sales", "parties-b", "parties-c", "sub"]],
      ["sales", undefined],
      ["parties-b", undefined],
      ["parties-c", undefined],
      ["sub", ["sales"]],
    ]);
    expect(out[0]!.values).toEqual([223n]);
  });

  it("names the rows of its spec when each is shown as one row of that id", () => {
    const rows = [row("a", "3010", "", 100n), row("a", "5010", "", 7n)];
    const plain = specs.map((s) => (s.id === "parties" ? { ...s, kind: "line" as const } : s));
    const out = evaluateRows(plain, [rows], 1, ctx);
    expect(out[0]).toMatchObject({ id: "total", sum: ["sales", "parties", "zero", "sub"], values: [207n] });
  });
});
