import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeYear } from "../src/consolidate/close.js";
import { eliminate } from "../src/consolidate/eliminate.js";
import { defaultInternalKinds, type LayoutSpec } from "../src/domain/config.js";
import { GROUP_CHART } from "./helpers.js";
import { closingOf, type BalanceRow } from "../src/domain/balance.js";
import { TrialBalanceBuilder } from "../src/model/trial-balance.js";
import { buildReport, deficitsToRestore } from "../src/report/build.js";

const CHART = GROUP_CHART;
const ENTITIES = ["a", "b", "c", "d"];
const DIFFERENCE = { result: "3999", balance: "2999" };

interface Line {
  entity: string;
  account: string;
  counterparty: string;
  amount: bigint;
  opening?: boolean;
}

const ore = fc.bigInt({ min: 1n, max: 10_000_000_00n });

/** A group's year: opening balances, external vouchers and internal invoices with both twins. */
const groupLedger = (mismatches: boolean) =>
  fc
    .record({
      size: fc.integer({ min: 2, max: 4 }),
      openings: fc.array(ore, { minLength: 4, maxLength: 4 }),
      external: fc.array(fc.record({ e: fc.nat(3), sale: fc.boolean(), amount: ore }), { maxLength: 30 }),
      internal: fc.array(
        fc.record({
          seller: fc.nat(3),
          buyer: fc.nat(3),
          amount: ore,
          delta: mismatches ? fc.bigInt({ min: -5000n, max: 5000n }) : fc.constant(0n),
        }),
        { maxLength: 15 },
      ),
    })
    .map(({ size, openings, external, internal }) => {
      const ids = ENTITIES.slice(0, size);
      const lines: Line[] = [];
      ids.forEach((e, i) => {
        lines.push({ entity: e, account: "1930", counterparty: "", amount: openings[i]!, opening: true });
        lines.push({ entity: e, account: "2091", counterparty: "", amount: -openings[i]!, opening: true });
      });
      for (const x of external) {
        const e = ids[x.e % size]!;
        if (x.sale)
          lines.push(
            { entity: e, account: "1930", counterparty: "", amount: x.amount },
            { entity: e, account: "3010", counterparty: "", amount: -x.amount },
          );
        else
          lines.push(
            { entity: e, account: "5010", counterparty: "", amount: x.amount },
            { entity: e, account: "1930", counterparty: "", amount: -x.amount },
          );
      }
      for (const x of internal) {
        const seller = ids[x.seller % size]!;
        const buyer = ids[x.buyer % size]!;
        if (seller === buyer) continue;
        const cost = x.amount + x.delta;
        lines.push(
          { entity: seller, account: "1510", counterparty: buyer, amount: x.amount },
          { entity: seller, account: "3590", counterparty: buyer, amount: -x.amount },
          { entity: buyer, account: "6591", counterparty: seller, amount: cost },
          { entity: buyer, account: "2440", counterparty: seller, amount: -cost },
        );
      }
      return { ids, lines };
    });

function consolidate(ids: string[], lines: readonly Line[]) {
  const tb = new TrialBalanceBuilder();
  for (const l of lines) {
    if (l.opening) tb.addOpening(l.entity, l.account, l.counterparty, l.amount);
    else tb.addPosting(l.entity, l.account, l.counterparty, l.amount);
  }
  const entityRows = closeYear(tb.build(), CHART, { resultAccount: "2099", retainedEarningsAccount: "2091" }).rows;
  const elimination = eliminate(entityRows, {
    chart: CHART,
    entityIds: new Set(ids),
    kinds: defaultInternalKinds(DIFFERENCE),
  });
  return { entityRows, elimination };
}

/** An entity's result for the year, revenue positive: minus its result accounts' balances. */
const resultOf = (rows: readonly BalanceRow[], entity: string) =>
  -total(rows.filter((r) => r.entity === entity && r.account >= "3"));
const resultRows = (rows: readonly BalanceRow[]) => rows.filter((r) => r.account >= "3");
const total = (rows: readonly BalanceRow[]) => rows.reduce((t, r) => t + closingOf(r), 0n);

/** Deterministic Fisher–Yates with a seed, to present the same postings in another order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const LAYOUT: LayoutSpec = {
  statements: [
    {
      id: "income",
      title: "Resultaträkning",
      scopes: ["group", "entities"],
      sign: -1,
      rows: [
        { id: "intakter", label: "Intäkter", kind: "line", select: [{ accounts: ["3000-3998"] }] },
        { id: "kostnader", label: "Kostnader", kind: "line", select: [{ accounts: ["4000-7999"] }] },
        { id: "diff", label: "Differens interna poster", kind: "line", select: [{ accounts: ["3999"] }] },
        { id: "resultat", label: "Årets resultat", kind: "total", sum: ["intakter", "kostnader", "diff"] },
      ],
    },
    {
      id: "balance",
      title: "Balansräkning",
      scopes: ["group", "entities"],
      rows: [
        { id: "tillgangar", label: "Tillgångar", kind: "total", select: [{ accounts: ["1000-1999"] }] },
        {
          id: "skulder",
          label: "Eget kapital och skulder",
          kind: "total",
          sign: -1,
          select: [{ accounts: ["2000-2999"] }],
        },
      ],
    },
  ],
};

describe("consolidation laws on generated group ledgers", () => {
  it("the group result equals the sum of the entities' results, whatever the internal differences", () => {
    fc.assert(
      fc.property(groupLedger(true), ({ ids, lines }) => {
        const { entityRows, elimination } = consolidate(ids, lines);
        const entityTotal = ids.reduce((t, e) => t + resultOf(entityRows.rows(), e), 0n);
        expect(-total(resultRows(elimination.groupRows.rows()))).toBe(entityTotal);
      }),
    );
  });

  it("internal items net to zero per reciprocal pair when both sides are booked alike", () => {
    fc.assert(
      fc.property(groupLedger(false), ({ ids, lines }) => {
        const { elimination } = consolidate(ids, lines);
        for (const p of elimination.pairs) expect(p.difference).toBe(0n);
        expect(elimination.groupRows.rows().some((r) => r.account === "3999" || r.account === "2999")).toBe(false);
        expect(elimination.groupRows.rows().some((r) => ids.includes(r.counterparty))).toBe(false);
      }),
    );
  });

  it("a difference is kept on the difference accounts, equal to the sum of the pair's sides", () => {
    fc.assert(
      fc.property(groupLedger(true), ({ ids, lines }) => {
        const { elimination } = consolidate(ids, lines);
        for (const kind of ["result", "balance"] as const) {
          const booked = total(elimination.groupRows.rows().filter((r) => r.account === DIFFERENCE[kind]));
          const pairs = elimination.pairs.filter((p) => p.kind === kind).reduce((t, p) => t + p.difference, 0n);
          expect(booked).toBe(pairs);
        }
        // eliminations are balanced entries
        expect(total(elimination.entries)).toBe(0n);
      }),
    );
  });

  it("the balance sheet balances, for the group and for every entity", () => {
    fc.assert(
      fc.property(groupLedger(true), ({ ids, lines }) => {
        const { entityRows, elimination } = consolidate(ids, lines);
        const balanceRows = (rows: readonly BalanceRow[]) => rows.filter((r) => r.account < "3");
        expect(total(balanceRows(elimination.groupRows.rows()))).toBe(0n);
        for (const e of ids) expect(total(balanceRows(entityRows.rows().filter((r) => r.entity === e)))).toBe(0n);
      }),
    );
  });

  it("the order of postings does not change any output", () => {
    fc.assert(
      fc.property(groupLedger(true), fc.integer(), ({ ids, lines }, seed) => {
        const report = (input: readonly Line[]) => {
          const { entityRows, elimination } = consolidate(ids, input);
          return buildReport({
            name: "G",
            layout: LAYOUT,
            years: [{ year: 2013, entityRows, elimination }],
            entities: ids.map((id) => ({ id, name: id.toUpperCase() })),
            members: [],
            inputs: [],
          });
        };
        expect(report(shuffled(lines, seed))).toEqual(report(lines));
      }),
    );
  });

  it("the internal pairs come in the order of their entities' names, then their kinds, whatever order the names were met in", () => {
    const name = fc.string({
      minLength: 1,
      maxLength: 4,
      unit: fc.constantFrom("a", "B", "å", "Ä", "1", "\ud83d\ude00"),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 2, maxLength: 7 }),
        fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.boolean(), ore), { minLength: 1, maxLength: 40 }),
        (ids, drawn) => {
          const lines: Line[] = drawn.flatMap(([s, b, asset, amount]) => {
            const [seller, buyer] = [ids[s % ids.length]!, ids[b % ids.length]!];
            if (seller === buyer) return [];
            const [giving, receiving] = asset ? ["1510", "2440"] : ["3590", "6591"];
            return [
              { entity: seller, account: giving, counterparty: buyer, amount },
              { entity: buyer, account: receiving, counterparty: seller, amount: -amount },
            ];
          });
          const { pairs } = consolidate(ids, lines).elimination;
          const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
          const sorted = [...pairs].sort(
            (x, y) =>
              byText(x.entities[0], y.entities[0]) || byText(x.entities[1], y.entities[1]) || byText(x.kind, y.kind),
          );
          expect(pairs).toEqual(sorted);
          expect(new Set(pairs.map((p) => `${p.entities.join("\u0000")}\u0000${p.kind}`)).size).toBe(pairs.length);
        },
      ),
    );
  });
});

describe("deficits to restore (balance requirement)", () => {
  it("are never negative, grow by each deficit and shrink by each surplus", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), { minLength: 1, maxLength: 8 }),
        (values) => {
          const series = values.map((value, i) => ({ year: 2010 + i, value }));
          const shown = series.map((s) => s.year);
          const deficits = deficitsToRestore(series, shown);
          let expected = 0n;
          values.forEach((v, i) => {
            expected = expected - v < 0n ? 0n : expected - v;
            expect(deficits[i]).toBe(expected);
            expect(deficits[i]! >= 0n).toBe(true);
          });
        },
      ),
    );
  });
});
