import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeYear } from "../src/consolidate/close.js";
import { eliminate, KeptPairs, notEliminated } from "../src/consolidate/eliminate.js";
import { balanceRow, closingOf, compareRows, type BalanceRow } from "../src/domain/balance.js";
import { defaultInternalKinds } from "../src/domain/config.js";
import {
  accountsWithAmounts,
  externalTotals,
  joinTables,
  keptResults,
  keptSums,
  keptSumsOfAll,
  NO_ROWS,
  RowTable,
  rowsOfAccounts,
  rowsOfEntity,
  tableNames,
  TablesInTurn,
} from "../src/domain/row-table.js";
import type { LayoutSpec, RowSpec } from "../src/domain/config.js";
import { coverageProblems } from "../src/report/coverage.js";
import { entitySums, evaluateRows, KeptEntitySums } from "../src/report/engine.js";
import { continuityProblems } from "../src/validate/continuity.js";
import { balanceScope, lineFinder } from "../src/report/balances.js";
import { compileSelection } from "../src/report/engine.js";
import { accountMatcher } from "../src/domain/accounts.js";
import { DEFAULT_EQUITY_ACCOUNTS } from "../src/domain/config.js";
import { formatSek } from "../src/domain/money.js";
import { GROUP_CHART } from "./helpers.js";

// A year's rows in columns (RowTable) against the same rows as objects added up with bigints: every
// amount exact, whether a number holds it (below 2^53 öre) or not.

const CHART = GROUP_CHART;
const ENTITIES = ["a", "b", "c"];

const amount = fc.oneof(
  fc.bigInt({ min: -1_000_000n, max: 1_000_000n }),
  fc
    .tuple(fc.constantFrom(2n ** 50n, 2n ** 52n, 2n ** 53n, 2n ** 60n), fc.bigInt({ min: -3n, max: 3n }), fc.boolean())
    .map(([base, d, neg]) => (neg ? -(base + d) : base + d)),
);

/** Rows of a year in the canonical order, one per entity, account and counterparty. */
const year = fc
  .array(
    fc.tuple(
      fc.constantFrom(...ENTITIES),
      fc.constantFrom(...CHART.keys()),
      fc.constantFrom("", "", "a", "b", "c", "m1"),
      amount,
      amount,
      amount,
    ),
    { maxLength: 40 },
  )
  .map((tuples) => {
    const byKey = new Map<string, BalanceRow>();
    // A counterparty may be the entity itself: booked so, it is no internal item.
    for (const [entity, account, counterparty, opening, debit, credit] of tuples) {
      byKey.set(
        `${entity}|${account}|${counterparty}`,
        balanceRow(entity, account, counterparty, opening, debit, credit),
      );
    }
    return [...byKey.values()].sort(compareRows);
  });

/** Rows added up per account and counterparty under no entity, with bigints, in the canonical order. */
function addedUp(rows: readonly BalanceRow[]): BalanceRow[] {
  const totals = new Map<string, BalanceRow>();
  for (const r of rows) {
    const key = `${r.account}|${r.counterparty}`;
    const t = totals.get(key) ?? balanceRow("", r.account, r.counterparty, 0n, 0n, 0n);
    totals.set(
      key,
      balanceRow("", r.account, r.counterparty, t.opening + r.opening, t.debit + r.debit, t.credit + r.credit),
    );
  }
  return [...totals.values()].sort(compareRows);
}

/** The elimination's settings for the entities and chart above. */
const SETTINGS = {
  chart: CHART,
  entityIds: new Set(ENTITIES),
  kinds: defaultInternalKinds({ result: "3999", balance: "2999" }),
};

const isResult = (account: string) => ["revenue", "expense"].includes(CHART.get(account)!.type);

/**
 * Where a year opens otherwise than the year before closed, with bigints over the rows as objects:
 * per entity and balance account (the equity accounts in total), the sorted keys that differ.
 */
function discontinuities(before: readonly BalanceRow[], now: readonly BalanceRow[], isBalance: (a: string) => boolean) {
  const isEquity = accountMatcher(DEFAULT_EQUITY_ACCOUNTS);
  const totals = (rows: readonly BalanceRow[], amount: (r: BalanceRow) => bigint) => {
    const map = new Map<string, bigint>();
    for (const r of rows)
      if (isBalance(r.account)) {
        const key = `${r.entity}|${isEquity(r.account) ? "equity" : r.account}`;
        map.set(key, (map.get(key) ?? 0n) + amount(r));
      }
    return map;
  };
  const closed = totals(before, closingOf);
  const opened = totals(now, (r) => r.opening);
  return [...new Set([...closed.keys(), ...opened.keys()])]
    .sort()
    .filter((key) => (closed.get(key) ?? 0n) !== (opened.get(key) ?? 0n))
    .map((key) => ({ key, want: closed.get(key) ?? 0n, got: opened.get(key) ?? 0n }));
}

/** A statement's line: the accounts it selects, how, and (at times) of one entity only. */
const line = fc.record({
  accounts: fc.constantFrom(["1000-1999"], ["3000-3999"], ["4000-9999"], ["1510", "2440"]),
  measure: fc.constantFrom("closing", "opening", "movement", "debit", "credit" as const),
  sign: fc.constantFrom(1, -1),
  entities: fc.option(fc.constant(["b"]), { nil: undefined, freq: 4 }),
});

/** A statement of lines and their subtotal. */
const specsOf = (
  lines: { accounts: readonly string[]; measure: string; sign: number; entities?: readonly string[] }[],
) =>
  [
    ...lines.map((l, i) => ({
      id: `r${i}`,
      label: `R${i}`,
      kind: "line",
      select: [
        { accounts: l.accounts, measure: l.measure, sign: l.sign, ...(l.entities ? { entities: l.entities } : {}) },
      ],
    })),
    { id: "sum", label: "Summa", kind: "subtotal", sum: lines.map((_, i) => `r${i}`) },
  ] as unknown as RowSpec[];

/** Each entity's statement as evaluated with entitySums of `tables` is what its own pass over its rows gives. */
function expectEntitySums(specs: readonly RowSpec[], tables: readonly RowTable[], sign: 1 | -1): void {
  const sumsOf = entitySums(specs, tables, sign);
  const ctx = { counterpartyNames: new Map<string, string>() };
  for (const entity of [...ENTITIES, "absent"]) {
    const rows = tables.map((t) => rowsOfEntity(t, entity));
    expect(evaluateRows(specs, rows, sign, ctx, sumsOf(entity))).toEqual(evaluateRows(specs, rows, sign, ctx));
  }
}

describe("a year's rows in columns", () => {
  it("hold every row as it was given, whatever the size of its amounts", () => {
    fc.assert(
      fc.property(year, (rows) => {
        const table = RowTable.from(rows);
        expect(table.rows()).toEqual(rows);
        rows.forEach((r, i) => {
          expect(table.closing(i)).toBe(closingOf(r));
          expect(table.isZero(i)).toBe(r.opening === 0n && r.debit + r.credit === 0n);
          const n = table.closingNumber(i);
          if (!Number.isNaN(n)) expect(BigInt(n)).toBe(closingOf(r));
        });
      }),
      { numRuns: 500 },
    );
  });

  it("are joined as the files' rows one after another", () => {
    fc.assert(
      fc.property(year, (rows) => {
        const files = ENTITIES.map((e) => RowTable.from(rows.filter((r) => r.entity === e))).reverse();
        expect(joinTables(files).rows()).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it("are joined as the files come in, in their turns, whatever order they finish in", () => {
    // Files of one entity each, or of rows that overlap; bytes that foretell the rows well or badly.
    const files = fc
      .tuple(year, fc.constantFrom("apart", "apart, the last entity first", "overlapping"))
      .map(([rows, how]) => {
        const apart = ENTITIES.map((e) => rows.filter((r) => r.entity === e));
        if (how === "apart") return apart;
        if (how === "overlapping") return [rows.filter((_, i) => i % 2 === 0), rows.filter((_, i) => i % 2 === 1)];
        return apart.reverse();
      });
    fc.assert(
      fc.property(
        files,
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 3, maxLength: 3 }),
        fc.func(fc.integer()),
        (parts, bytes, rank) => {
          const turns = new TablesInTurn(parts.map((_, i) => bytes[i]!));
          const arrival = parts.map((_, i) => i).sort((a, b) => rank(a) - rank(b) || a - b);
          for (const turn of arrival) turns.put(turn, RowTable.from(parts[turn]!));
          const joined = turns.table();
          expect(joined.rows()).toEqual(joinTables(parts.map((p) => RowTable.from(p))).rows());
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keep the group's totals, each entity's result and the internal pairs as the files come in, through the closing, as added up after", () => {
    // What TablesInTurn keeps (the totals less the rows between two entities, the results, the
    // pairs), adjusted by the rows the closing puts in and leaves out, in its own columns (into) or
    // in new ones (with): the same as added up once the year is closed, whatever the amounts' size.
    fc.assert(
      fc.property(year, year, fc.boolean(), (given, opening, small) => {
        // Half the years' amounts all ones a number holds: the sums kept are then taken, not added up again.
        const cut = (x: bigint) => (small ? x % 1_000_000n : x);
        const rows = given.map((r) =>
          balanceRow(r.entity, r.account, r.counterparty, cut(r.opening), cut(r.debit), cut(r.credit)),
        );
        const files = ENTITIES.map((e) => RowTable.from(rows.filter((r) => r.entity === e)));
        const turns = new TablesInTurn(
          files.map((f) => 64 * f.length),
          { entities: SETTINGS.entityIds, chart: CHART, more: new KeptPairs(SETTINGS) },
        );
        files.forEach((f, turn) => turns.put(turn, f));
        const read = turns.table();
        expect(rowsOfAccounts(read, () => true)).toEqual(rows.map((_, i) => i));
        // Opening balances put in before the closing: in the table's own columns, or in new ones
        // when an amount is past what a number holds.
        const spec = { resultAccount: "2099", retainedEarningsAccount: "2091", closingEntryAccounts: ["8999"] };
        const openings = opening.filter((r) => r.account.startsWith("2"));
        const reference = closeYear(RowTable.from(rows).with(openings), CHART, spec);
        const closed = closeYear(read.into(openings), CHART, spec);
        expect(closed.rows.rows()).toEqual(reference.rows.rows());
        expect([...closed.results]).toEqual([...reference.results]);
        const { groupRows, groupTotals, pairs, eliminated } = eliminate(closed.rows, SETTINGS);
        expect([...groupTotals.rows()].sort(compareRows)).toEqual(addedUp(groupRows.rows()));
        const added = eliminate(RowTable.from(reference.rows.rows()), SETTINGS);
        expect(pairs).toEqual(added.pairs);
        expect(groupRows.rows()).toEqual(added.groupRows.rows());
        expect(eliminated).toBe(added.eliminated);
        // Kept, not added up again, while every amount is one a number holds.
        const held = opening.every((r) =>
          [r.opening, r.debit, r.credit].every((x) => x < 2n ** 40n && x > -(2n ** 40n)),
        );
        if (small && held) {
          expect(externalTotals(closed.rows, SETTINGS.entityIds, NO_ROWS)).toBeDefined();
          const kept = keptSums(closed.rows);
          expect(kept instanceof KeptPairs && kept.pairSums()).toBeTruthy();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keep each entity's statement sums as the files come in, through the closing, as its own pass adds them", () => {
    // KeptEntitySums: two statements' selections, of every row, adjusted by the rows the closing
    // puts in and leaves out, in the table's own columns (into) or in new ones (with).
    fc.assert(
      fc.property(
        year,
        year,
        fc.array(line, { minLength: 1, maxLength: 3 }),
        fc.array(line, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (given, opening, first, second, small) => {
          const cut = (x: bigint) => (small ? x % 1_000_000n : x);
          const rows = given.map((r) =>
            balanceRow(r.entity, r.account, r.counterparty, cut(r.opening), cut(r.debit), cut(r.credit)),
          );
          const statements = [
            { specs: specsOf(first), sign: 1 as const },
            { specs: specsOf(second), sign: -1 as const },
          ];
          const files = ENTITIES.map((e) => RowTable.from(rows.filter((r) => r.entity === e)));
          const turns = new TablesInTurn(
            files.map((f) => 64 * f.length),
            { entities: SETTINGS.entityIds, chart: CHART, all: new KeptEntitySums(statements) },
          );
          files.forEach((f, turn) => turns.put(turn, f));
          const spec = { resultAccount: "2099", retainedEarningsAccount: "2091", closingEntryAccounts: ["8999"] };
          const closed = closeYear(turns.table().into(opening.filter((r) => r.account.startsWith("2"))), CHART, spec);
          expect(keptSumsOfAll(closed.rows)).toBeInstanceOf(KeptEntitySums);
          for (const { specs, sign } of statements) expectEntitySums(specs, [closed.rows], sign);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("add up the year again when its files bring more names than the room kept for them", () => {
    // Results and pairs are kept by the names' places, with room for the names known and as many
    // more: a file with thousands of new counterparties leaves them untold, and they are added up
    // from the rows instead, to the same figures.
    const statement = { specs: specsOf([{ accounts: ["4000-9999"], measure: "closing", sign: 1 }]), sign: 1 as const };
    const turns = new TablesInTurn([100, 100], {
      entities: SETTINGS.entityIds,
      chart: CHART,
      more: new KeptPairs(SETTINGS),
      all: new KeptEntitySums([statement]),
    });
    const crowd = Array.from({ length: 3 * tableNames.list.length + 2048 }, (_, i) => `party ${i} of a crowd`);
    const ofA = [
      ...crowd.map((party, i) => balanceRow("a", "3010", party, 0n, BigInt(i), 0n)),
      balanceRow("a", "3010", "b", 0n, 0n, -500n),
    ].sort(compareRows);
    turns.put(0, RowTable.from(ofA));
    // An account first named after the crowd: its place is past the room too.
    const ofB = [balanceRow("b", "5010", "a", 0n, 500n, 0n), balanceRow("b", "6591x", "a", 0n, 7n, 0n)];
    turns.put(1, RowTable.from(ofB));
    const rows = [...ofA, ...ofB];
    const read = turns.table();
    expect(keptResults(read, CHART, [])).toBeUndefined();
    expect((keptSums(read) as KeptPairs).pairSums()).toBeUndefined();
    const spec = { resultAccount: "2099", retainedEarningsAccount: "2091" };
    const closed = closeYear(read, CHART, spec);
    const reference = closeYear(RowTable.from(rows), CHART, spec);
    expect([...closed.results]).toEqual([...reference.results]);
    expect(eliminate(closed.rows, SETTINGS).pairs).toEqual(eliminate(reference.rows, SETTINGS).pairs);
    expectEntitySums(statement.specs, [closed.rows], statement.sign);
  });

  it("find the rows of the accounts asked for, in a table and in the tables made from it", () => {
    const asked = fc.subarray([...CHART.keys()]);
    fc.assert(
      fc.property(year, year, fc.array(fc.nat(), { maxLength: 6 }), asked, asked, (rows, extra, drops, first, then) => {
        const naive = (t: RowTable, accounts: readonly string[]) =>
          t
            .rows()
            .flatMap((r, i) => (accounts.includes(r.account) ? [i] : []))
            .sort((a, b) => a - b);
        // Joined, the table has room: into() makes the next table in its columns.
        const table = joinTables(ENTITIES.map((e) => RowTable.from(rows.filter((r) => r.entity === e))));
        expect(rowsOfAccounts(table, (a) => first.includes(a))).toEqual(naive(table, first));
        const dropped = [...new Set(drops.filter((d) => d < rows.length))].sort((a, b) => a - b);
        const before = RowTable.from(table.rows());
        const made = table.into(extra, dropped);
        // Each row put in after the rows it equals: a stable sort of the rows kept, then those put in.
        const naiveWith = [...before.rows().filter((_, i) => !dropped.includes(i)), ...extra].sort(compareRows);
        expect(RowTable.from(before.rows()).with(extra, dropped).rows()).toEqual(naiveWith);
        expect(made.rows()).toEqual(naiveWith);
        expect(rowsOfAccounts(made, (a) => then.includes(a))).toEqual(naive(made, then));
      }),
      { numRuns: 500 },
    );
  });

  it("find the accounts whose rows hold an amount, whatever its size", () => {
    fc.assert(
      fc.property(year, (rows) => {
        const held = rows.filter((r) => r.opening !== 0n || r.debit !== 0n || r.credit !== 0n).map((r) => r.account);
        expect(accountsWithAmounts(RowTable.from(rows))).toEqual(new Set(held));
      }),
      { numRuns: 300 },
    );
  });

  it("tell from the columns where a year opens otherwise than the year before closed, as the rows' bigints tell", () => {
    const closing = { resultAccount: "2099", retainedEarningsAccount: "2091" };
    const isBalance = (account: string) => ["asset", "liability"].includes(CHART.get(account)!.type);
    const where = (entity: string, account: string) => ({ file: `${entity}.csv`, line: Number(account) });
    fc.assert(
      fc.property(year, year, fc.boolean(), (before, now, opensAsClosed) => {
        // Half the runs open the year where the year before closed, but for the rows the second year changes.
        const opening = opensAsClosed
          ? [...before.map((r) => balanceRow(r.entity, r.account, r.counterparty, closingOf(r), 0n, 0n)), ...now]
          : now;
        const found = continuityProblems(
          2025,
          RowTable.from(before),
          RowTable.from(opening),
          closing,
          isBalance,
          where,
        );
        const expected = discontinuities(before, opening, isBalance);
        expect(found.map((d) => d.message)).toEqual(
          expected.map(({ key, want, got }) => {
            const [entity, account] = key.split("|") as [string, string];
            const what = account === "equity" ? "equity in total (with last year's result)" : `account ${account}`;
            return `${entity} opens 2025 on ${what} with ${formatSek(got)} kr, but closed 2024 with ${formatSek(want)} kr`;
          }),
        );
        expect(found.map((d) => d.line)).toEqual(
          expected.map(({ key }) => Number(key.endsWith("|equity") ? "2091" : key.split("|")[1])),
        );
        // Rows given as objects, in any order, tell the same.
        expect(continuityProblems(2025, [...before].reverse(), opening, closing, isBalance, where)).toEqual(found);
      }),
      { numRuns: 300 },
    );
  });

  it("give each account of a saldobalans its exact sums and lines, each row's line found as asking every line of it does", () => {
    const rowSpecs = [
      { id: "a", label: "A", kind: "line", select: [{ accounts: ["1000-1999"], entities: ["b"] }] },
      { id: "b", label: "B", kind: "line", select: [{ accounts: ["1510", "2440"], counterparties: ["a", "m1"] }] },
      { id: "c", label: "C", kind: "line", select: [{ accounts: ["1000-2999"] }] },
      { id: "d", label: "D", kind: "line", select: [{ accounts: ["3000-9999"], exclude: ["3999"] }] },
    ];
    const layout = {
      statements: [{ id: "s", title: "S", scopes: ["group"], rows: rowSpecs }],
    } as unknown as LayoutSpec;
    const lines = rowSpecs.map((r) => ({
      id: r.id,
      matches: r.select.map((sel) => compileSelection({ ...sel, measure: "closing", sign: 1 }, 1)),
    }));
    const lineOfRow = (r: BalanceRow) => lines.find((l) => l.matches.some((m) => m(r) !== undefined))?.id;
    fc.assert(
      fc.property(year, (rows) => {
        const table = RowTable.from(rows);
        const lineOf = lineFinder(layout);
        rows.forEach((r, i) => expect(lineOf(table, i)?.row).toBe(lineOfRow(r)));
        const scope = balanceScope("group", "G", table, CHART, lineOf);
        const held = rows.filter((r) => r.opening !== 0n || r.debit !== 0n || r.credit !== 0n);
        const accounts = [...new Set(held.map((r) => r.account))].sort();
        const sum = (account: string, f: (r: BalanceRow) => bigint) =>
          held.filter((r) => r.account === account).reduce((t, r) => t + f(r), 0n);
        expect(scope.rows.map((l) => [l.account, l.opening, l.debit, l.credit, l.closing])).toEqual(
          accounts.map((a) => [
            a,
            sum(a, (r) => r.opening),
            sum(a, (r) => r.debit),
            sum(a, (r) => r.credit),
            sum(a, closingOf),
          ]),
        );
        expect(scope.rows.map((l) => l.lines.map((x) => x.row))).toEqual(
          accounts.map((a) => [
            ...new Set(
              held
                .filter((r) => r.account === a)
                .map(lineOfRow)
                .filter((x) => x !== undefined),
            ),
          ]),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("close the year: each entity's result to the result account, the rows kept, in the canonical order", () => {
    fc.assert(
      fc.property(year, (rows) => {
        const spec = { resultAccount: "2099", retainedEarningsAccount: "2091", closingEntryAccounts: ["8999"] };
        // Joined, the table has room for the closing's rows: put in its own columns.
        const joined = joinTables(ENTITIES.map((e) => RowTable.from(rows.filter((r) => r.entity === e))));
        const closed = closeYear(joined, CHART, spec);
        const moved = rows.filter((r) => r.account === "8999" && r.debit + r.credit !== 0n);
        const kept = rows.filter((r) => !moved.includes(r));
        const results = new Map<string, bigint>();
        for (const r of kept)
          if (isResult(r.account)) results.set(r.entity, (results.get(r.entity) ?? 0n) + closingOf(r));
        const transfers = [...results].map(([entity, result]) =>
          balanceRow(entity, "2099", "", 0n, result > 0n ? result : 0n, result < 0n ? result : 0n),
        );
        const movedRows = moved.map((r) => ({ ...r, account: "2099", opening: 0n }));
        expect(closed.rows.rows()).toEqual([...kept, ...movedRows, ...transfers].sort(compareRows));
        expect(closed.results).toEqual(results);
      }),
      { numRuns: 500 },
    );
  });

  it("eliminate internal rows: the group keeps the others and each pair's remainder", () => {
    fc.assert(
      fc.property(year, (rows) => {
        const { groupRows, groupParts, groupTotals, entries, pairs, eliminated } = eliminate(
          RowTable.from(rows),
          SETTINGS,
        );
        const internal = rows.filter((r) => ENTITIES.includes(r.counterparty) && r.counterparty !== r.entity);
        const external = rows.filter((r) => !internal.includes(r));
        const group = groupRows.rows();
        expect(group).toEqual([...group].sort(compareRows));
        // Its parts hold the same rows; its totals add them up per account and counterparty.
        const parts = groupParts.flatMap(({ rows: part, left }) => part.rows().filter((_, i) => !left?.[i]));
        expect(parts.sort(compareRows)).toEqual(group);
        expect([...groupTotals.rows()].sort(compareRows)).toEqual(addedUp(group));
        // The external rows as they were, in their order; the others each pair's remainder.
        const isExternal = (r: BalanceRow) =>
          external.some((x) => compareRows(x, r) === 0 && closingOf(x) === closingOf(r));
        expect(group.filter(isExternal)).toEqual(external);
        const remainders = group.filter((r) => !isExternal(r));
        for (const r of remainders)
          expect([r.account, r.counterparty]).toEqual([r.account === "3999" ? "3999" : "2999", ""]);
        // What the group lost is what the remainders and the entries account for, to the öre.
        const sum = (list: readonly BalanceRow[]) => list.reduce((t, r) => t + closingOf(r), 0n);
        expect(sum(remainders)).toBe(sum(internal));
        expect(sum(entries)).toBe(0n);
        expect(pairs.reduce((t, p) => t + p.difference, 0n)).toBe(sum(internal));
        // Each pair as a straightforward count of the internal rows makes it: revenue and assets the
        // giving side, a kind by the account's type, in the order of the entities' and kind's texts.
        type Reference = { entities: [string, string]; kind: string; amounts: [bigint, bigint] };
        const reference = new Map<string, Reference & { opening: bigint; movement: bigint }>();
        for (const r of internal) {
          const type = CHART.get(r.account)!.type;
          const giving = type === "revenue" || type === "asset";
          const entities: [string, string] = giving ? [r.entity, r.counterparty] : [r.counterparty, r.entity];
          const kind = isResult(r.account) ? "result" : "balance";
          const key = `${entities.join("|")}|${kind}`;
          const pair = reference.get(key) ?? { entities, kind, amounts: [0n, 0n], opening: 0n, movement: 0n };
          pair.amounts[giving ? 0 : 1] += closingOf(r);
          pair.opening += r.opening;
          pair.movement += r.debit + r.credit;
          reference.set(key, pair);
        }
        const text = (p: { entities: readonly string[]; kind: string }) => [...p.entities, p.kind].join("\u0000");
        expect(pairs).toEqual(
          [...reference.values()]
            .sort((a, b) => (text(a) < text(b) ? -1 : 1))
            .map(({ entities, kind, amounts }) => ({ entities, kind, amounts, difference: amounts[0] + amounts[1] })),
        );
        // Each pair's remainder keeps its opening and its movement apart, to the öre.
        const shown = (r: BalanceRow) =>
          JSON.stringify([r.entity, r.account, r.opening, r.debit, r.credit], (_, v) =>
            typeof v === "bigint" ? String(v) : v,
          );
        expect(remainders.map(shown).sort()).toEqual(
          [...reference.values()]
            .filter((p) => p.opening !== 0n || p.movement !== 0n)
            .map((p) =>
              balanceRow(
                p.entities[0],
                p.kind === "result" ? "3999" : "2999",
                "",
                p.opening,
                p.movement > 0n ? p.movement : 0n,
                p.movement < 0n ? p.movement : 0n,
              ),
            )
            .map(shown)
            .sort(),
        );
        const revenue = internal.filter((r) => CHART.get(r.account)!.type === "revenue");
        expect(eliminated).toBe(-sum(revenue));
      }),
      { numRuns: 500 },
    );
  });

  it("add up the group's totals in pieces as in one: thousands of rows, internal ones left out", () => {
    // More rows than one piece of addedUpAcross (4 096), large amounts among them.
    const entities = Array.from({ length: 250 }, (_, i) => `u${String(i).padStart(3, "0")}`);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        let state = seed;
        const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31);
        const amountOf = () =>
          next() % 50 === 0 ? 2n ** 52n + BigInt(next()) : BigInt(next() % 2_000_000) - 1_000_000n;
        const rows = entities
          .flatMap((entity, i) =>
            [...CHART.keys()].flatMap((account) =>
              ["", entities[(i + 1) % entities.length]!, entities[(i + 7) % entities.length]!, "m1", "m2"].map(
                (counterparty) => balanceRow(entity, account, counterparty, amountOf(), amountOf(), amountOf()),
              ),
            ),
          )
          .sort(compareRows);
        const { groupRows, groupTotals } = eliminate(RowTable.from(rows), {
          chart: CHART,
          entityIds: new Set(entities),
          kinds: defaultInternalKinds({ result: "3999", balance: "2999" }),
        });
        expect(rows.length).toBeGreaterThan(2 * 4096);
        expect([...groupTotals.rows()].sort(compareRows)).toEqual(addedUp(groupRows.rows()));
      }),
      { numRuns: 5 },
    );
  });

  it("add up the group's totals over more accounts and counterparties than its first room for slots", () => {
    // Four thousand slots (the first room holds 1 024): each amount lands in its own, as added up by hand.
    const parties = Array.from({ length: 1000 }, (_, i) => `m${String(i).padStart(4, "0")}`);
    const accounts = [...CHART.keys()].slice(0, 4);
    const rows = ["u1", "u2"]
      .flatMap((entity, e) =>
        accounts.flatMap((account, a) =>
          parties.map((party, p) =>
            balanceRow(entity, account, party, BigInt(e + 1), BigInt(a * 1000 + p), -BigInt(p)),
          ),
        ),
      )
      .sort(compareRows);
    const { groupTotals } = notEliminated(RowTable.from(rows));
    expect(groupTotals.length).toBe(accounts.length * parties.length);
    for (const r of groupTotals.rows()) {
      const a = accounts.indexOf(r.account);
      const p = parties.indexOf(r.counterparty);
      expect([r.entity, r.opening, r.debit, r.credit]).toEqual(["", 3n, BigInt(2 * (a * 1000 + p)), -BigInt(2 * p)]);
    }
  });

  it("give each entity's statement the sums its own pass would, from one pass over the table", () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 4 }),
        year,
        year,
        fc.constantFrom(1, -1),
        (lines, now, before, sign) =>
          expectEntitySums(specsOf(lines), [RowTable.from(now), RowTable.from(before)], sign as 1 | -1),
      ),
      { numRuns: 400 },
    );
  });

  it("add up the group's rows per account across entities exactly, past 2^53 öre", () => {
    // Odd amounts near 2^52: two of them already pass 2^53, where numbers hold even values only.
    const large = fc.bigInt({ min: 2n ** 51n, max: 2n ** 53n - 1n }).map((x) => x | 1n);
    const row = fc.tuple(fc.constantFrom(...ENTITIES), fc.constantFrom("3010", "3590"), fc.oneof(large, amount));
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 30 }), (tuples) => {
        const byKey = new Map<string, BalanceRow>();
        for (const [entity, account, debit] of tuples)
          byKey.set(`${entity}|${account}`, balanceRow(entity, account, "", 0n, debit, 0n));
        const rows = [...byKey.values()].sort(compareRows);
        const line = { id: "r", label: "R", kind: "line" as const, select: [{ accounts: ["3000-3999"] }] };
        const [value] = evaluateRows([line], [RowTable.from(rows)], 1, { counterpartyNames: new Map() })[0]!.values;
        expect(value).toBe(rows.reduce((t, r) => t + r.debit, 0n));
      }),
      { numRuns: 500 },
    );
  });

  it("check the group's coverage in its parts as on its rows: the same problems, in the same words", () => {
    const select = (...accounts: string[]) => [{ accounts }];
    // Lines that leave accounts out (2999, 6591), overlap (3010) and look at an entity (1930 of a).
    const lines = fc.subarray(
      [
        { id: "revenue", select: select("3010", "3590") },
        { id: "more", select: select("3010") },
        { id: "costs", select: select("5010", "8999") },
        { id: "assets", select: [{ accounts: ["1510", "1930"], entities: ["a"] }] },
        { id: "others", select: [{ accounts: ["1930"], entities: ["b", "c"] }] },
        { id: "debts", select: select("2091", "2099", "2440") },
        { id: "differences", select: select("3999") },
      ],
      { minLength: 1 },
    );
    fc.assert(
      fc.property(year, lines, (rows, chosen) => {
        const rowSpecs = chosen.map((l) => ({ ...l, label: l.id, kind: "line" as const }));
        const layout = {
          spec: { statements: [{ id: "s", title: "S", scopes: ["group" as const], rows: rowSpecs }] } as LayoutSpec,
          file: "layout.json",
          locate: () => ({ line: 1, column: 1 }),
        };
        const table = RowTable.from(rows);
        const elimination = eliminate(table, SETTINGS);
        const fromRows = notEliminated(RowTable.from(elimination.groupRows.rows()));
        expect(coverageProblems(2025, layout, elimination, table, CHART)).toEqual(
          coverageProblems(2025, layout, fromRows, table, CHART),
        );
      }),
      { numRuns: 300 },
    );
  });
});
