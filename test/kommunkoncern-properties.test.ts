import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eliminate } from "../src/consolidate/eliminate.js";
import { defaultInternalKinds } from "../src/domain/config.js";
import type { Account, AccountType } from "../src/domain/types.js";
import { closingOf, type BalanceRow } from "../src/domain/balance.js";
import { bridgesOf } from "../src/koncern/bridges.js";
import { Dec, fromOre, sumOf, ZERO, type Lines } from "../src/koncern/decimal.js";
import type { KoncernDefinition, KoncernEntity } from "../src/koncern/definition.js";
import { BUILT_IN_MAPPINGS, compileMapping } from "../src/koncern/lines.js";
import { buildMatrix, type EntityRow, type EntityYear, type KoncernMatrix } from "../src/koncern/matrix.js";

/**
 * Generated kommunkoncerner (issue 15): a kommun and companies or förbund at random shares, each
 * with its own balanced books (opening balances, external trade, internal sales, loans and
 * dividends, untaxed reserves, acquisitions above or below book value).
 */
const YEAR = 2024;
const RATES = [
  { from: "2021-01-01", rate: "0.206" },
  { from: "2019-01-01", rate: "0.214" },
  { from: "1900-01-01", rate: "0.22" },
];
const rateOf = (year: number) => {
  const r = RATES.find((x) => x.from <= `${year}-01-01`);
  return r ? new Dec(r.rate) : undefined;
};

/** One entity's books: per account and counterparty, the opening and closing balance in öre. */
class Books {
  readonly balances = new Map<string, { opening: bigint; closing: bigint }>();
  constructor(readonly chart: "bas" | "kommun-bas") {}
  #add(account: string, cp: string, amount: bigint, opening: boolean) {
    const key = `${account}|${cp}`;
    const b = this.balances.get(key) ?? { opening: 0n, closing: 0n };
    if (opening) b.opening += amount;
    b.closing += amount;
    this.balances.set(key, b);
  }
  open(debit: string, credit: string, amount: bigint, cp = { debit: "", credit: "" }) {
    this.#add(debit, cp.debit, amount, true);
    this.#add(credit, cp.credit, -amount, true);
  }
  post(debit: string, credit: string, amount: bigint, cp = { debit: "", credit: "" }) {
    this.#add(debit, cp.debit, amount, false);
    this.#add(credit, cp.credit, -amount, false);
  }
  rows(): EntityRow[] {
    const map = compileMapping(BUILT_IN_MAPPINGS[this.chart]);
    return [...this.balances].map(([key, b]) => {
      const [account, counterparty] = key.split("|") as [string, string];
      return {
        account,
        line: map(account)!,
        counterparty,
        opening: fromOre(b.opening),
        closing: fromOre(b.closing),
        sources: [],
      };
    });
  }
}

const SHARES = ["1", "0.6", "0.51", "0.3", "0.25", "0.3333"];
const money = fc.bigInt({ min: 1_000_00n, max: 50_000_000_00n });

interface Company {
  kind: "aktiebolag" | "kommunalforbund";
  share: string;
  equity: bigint;
  reserves: bigint;
  allocation: bigint;
  revenue: bigint;
  cost: bigint;
  sale: bigint;
  loan: bigint;
  dividend: bigint;
  price: bigint;
  acquiredEquity: bigint;
  surplus: bigint;
  acquired: string;
}

const company: fc.Arbitrary<Company> = fc.record({
  kind: fc.constantFrom("aktiebolag" as const, "kommunalforbund" as const),
  share: fc.constantFrom(...SHARES),
  equity: money,
  reserves: money,
  allocation: fc.bigInt({ min: -1_000_00n, max: 2_000_000_00n }),
  revenue: money,
  cost: money,
  sale: fc.bigInt({ min: 0n, max: 5_000_000_00n }),
  loan: fc.bigInt({ min: 0n, max: 20_000_000_00n }),
  dividend: fc.bigInt({ min: 0n, max: 1_000_000_00n }),
  price: money,
  acquiredEquity: money,
  surplus: fc.bigInt({ min: 0n, max: 5_000_000_00n }),
  acquired: fc.constantFrom("2016-01-01", "2020-07-01", "2022-03-15", "2024-01-01"),
});

interface Group {
  definition: KoncernDefinition;
  entities: EntityYear[];
}

/** A group from generated companies: every book balances by construction; the kommun holds the shares. */
function groupOf(companies: readonly Company[], federation = false): Group {
  const kommun = new Books("kommun-bas");
  kommun.open("1930", "2090", 900_000_000_00n);
  kommun.post("1930", "8011", 700_000_000_00n);
  kommun.post("5110", "1930", 650_000_000_00n);
  const specs: KoncernEntity[] = [];
  const books: Books[] = [];
  companies.forEach((c, i) => {
    const id = `e${i + 1}`;
    const bas = c.kind === "aktiebolag" && !federation;
    const b = new Books(bas ? "bas" : "kommun-bas");
    const share = federation ? "1" : c.share;
    const investment = bas ? "1311" : "1321";
    const price = federation ? 0n : c.price;
    if (price) kommun.open(investment, "2090", price, { debit: id, credit: "" });
    b.open("1930", bas ? "2081" : "2090", c.equity);
    if (bas) {
      b.open("1930", "2150", c.reserves);
      b.post("8850", "2150", c.allocation);
    }
    b.post("1930", bas ? "3010" : "3110", c.revenue);
    b.post(bas ? "5010" : "5110", "1930", c.cost);
    // Internal: the kommun buys from the entity; the entity borrows from the kommun.
    b.post("1930", bas ? "3010" : "3110", c.sale, { debit: "", credit: "kommunen" });
    kommun.post("6110", "1930", c.sale, { debit: id, credit: "" });
    kommun.post("1381", "1930", c.loan, { debit: id, credit: "" });
    b.post("1930", "2360", c.loan, { debit: "", credit: "kommunen" });
    if (bas && !federation) {
      // The dividend: the company pays all owners; the kommun books its share (whole öre).
      const received = (c.dividend * BigInt(Math.round(Number(share) * 10000))) / 10000n;
      b.post("2091", "1930", c.dividend);
      kommun.post("1930", "8411", received, { debit: "", credit: id });
    }
    books.push(b);
    specs.push({
      id,
      name: `Företag ${i + 1}`,
      kind: federation ? "kommunalforbund" : c.kind,
      shares: { [YEAR]: share },
      chart: b.chart,
      ledgers: {},
      acquisition: {
        date: c.acquired,
        investment: { entity: "kommunen", account: investment },
        price: fromOre(price).toFixed(2),
        equity: fromOre(federation ? 0n : c.acquiredEquity).toFixed(2),
        ...(bas ? { untaxedReserves: fromOre(c.reserves).toFixed(2) } : {}),
        ...(bas && c.surplus > 0n
          ? {
              surplus: [
                { line: "mark-byggnader", text: "Övervärde", amount: fromOre(c.surplus).toFixed(2), years: 20 },
              ],
            }
          : {}),
      },
    });
  });
  const parent: KoncernEntity = {
    id: "kommunen",
    name: "Kommunen",
    kind: "kommun",
    shares: { [YEAR]: "1" },
    chart: "kommun-bas",
    ledgers: {},
    dividendAccounts: ["8411"],
  };
  const definition: KoncernDefinition = {
    name: "Koncernen",
    parent: "kommunen",
    taxRates: RATES,
    entities: [parent, ...specs],
  };
  const entities = [kommun, ...books].map((b, i) => ({
    spec: definition.entities[i]!,
    share: new Dec(definition.entities[i]!.shares[YEAR]!),
    rows: b.rows(),
  }));
  return { definition, entities };
}

const matrixOf = (g: Group): KoncernMatrix =>
  buildMatrix({ definition: g.definition, year: YEAR, entities: g.entities, rateOf, tolerance: ZERO });
const koncernen = (m: KoncernMatrix) => m.columns.find((c) => c.id === "koncernen")!;
const same = (a: Lines, b: Lines) =>
  [...new Set([...a.keys(), ...b.keys()])].every((l) => (a.get(l) ?? ZERO).eq(b.get(l) ?? ZERO));

const groups = fc.array(company, { minLength: 0, maxLength: 4 });

describe("generated kommunkoncerner", () => {
  it("every column of the koncernmatris sums to zero, at the closing and at the opening balance", () => {
    fc.assert(
      fc.property(groups, (companies) => {
        const m = matrixOf(groupOf(companies));
        for (const c of m.columns) {
          expect(sumOf(c.closing).isZero(), `${c.id} closing`).toBe(true);
          expect(sumOf(c.opening).isZero(), `${c.id} opening`).toBe(true);
        }
        expect(m.findings.filter((f) => f.code === "E-KONCERN-MATRIX")).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("the equity and result bridges hold to the öre", () => {
    fc.assert(
      fc.property(groups, (companies) => {
        const g = groupOf(companies);
        const m = matrixOf(g);
        const b = bridgesOf(g.definition, m, new Map(g.definition.entities.map((e) => [e.id, e.name])));
        expect([b.equity.closing, b.equity.opening, b.result].map((x) => x.sum.minus(x.koncernen).toFixed())).toEqual([
          "0",
          "0",
          "0",
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it("full consolidation (a declared departure): columns sum to zero and the bridges hold with every entity at 1", () => {
    fc.assert(
      fc.property(groups, (companies) => {
        const g = groupOf(companies);
        const full = {
          ...g,
          definition: { ...g.definition, method: "full-with-minority" as const, methodDeparture: "test" },
        };
        const m = matrixOf(full);
        for (const c of m.columns) expect(sumOf(c.closing).isZero() && sumOf(c.opening).isZero(), c.id).toBe(true);
        const b = bridgesOf(full.definition, m, new Map(g.definition.entities.map((e) => [e.id, e.name])));
        expect([b.equity.closing, b.equity.opening, b.result].map((x) => x.sum.minus(x.koncernen).toFixed())).toEqual([
          "0",
          "0",
          "0",
        ]);
      }),
      { numRuns: 150 },
    );
  });

  it("with every share 1, full and proportional consolidation give the same group", () => {
    fc.assert(
      fc.property(groups, (companies) => {
        const g = groupOf(companies.map((c) => ({ ...c, share: "1" })));
        const full = {
          ...g,
          definition: { ...g.definition, method: "full-with-minority" as const, methodDeparture: "test" },
        };
        expect(same(koncernen(matrixOf(full)).closing, koncernen(matrixOf(g)).closing)).toBe(true);
        expect(same(koncernen(matrixOf(full)).opening, koncernen(matrixOf(g)).opening)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("internal items go at the lower of the two shares: never more than either party brings into the group", () => {
    fc.assert(
      fc.property(groups, (companies) => {
        const g = groupOf(companies);
        const m = matrixOf(g);
        for (const j of m.journal.filter((x) => x.step === "internal")) {
          const [a, b] = j.entities.map((id) => g.entities.find((e) => e.spec.id === id)!.share);
          expect(j.share.eq(Dec.min(a!, b!)), j.id).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("the order of the entities changes nothing", () => {
    fc.assert(
      fc.property(groups, fc.nat(), (companies, seed) => {
        const g = groupOf(companies);
        const order = [...g.entities].sort(
          (a, b) => ((a.spec.id.charCodeAt(1) * 31 + seed) % 7) - ((b.spec.id.charCodeAt(1) * 31 + seed) % 7),
        );
        const shuffled = { definition: { ...g.definition, entities: order.map((e) => e.spec) }, entities: order };
        const [m1, m2] = [matrixOf(g), matrixOf(shuffled)];
        expect(same(koncernen(m1).closing, koncernen(m2).closing)).toBe(true);
        expect(same(koncernen(m1).opening, koncernen(m2).opening)).toBe(true);
        const journal = (m: KoncernMatrix) =>
          m.journal
            .map(
              (j) =>
                `${j.id}:${[...j.lines]
                  .map(([l, v]) => `${l}=${v.toFixed()}`)
                  .sort()
                  .join(",")}`,
            )
            .sort();
        expect(journal(m2)).toEqual(journal(m1));
      }),
      { numRuns: 100 },
    );
  });

  it("share 1 everywhere and no companies gives the federation's figures exactly", () => {
    const typeOf = (account: string): AccountType =>
      account < "2000"
        ? "asset"
        : account < "3000"
          ? "liability"
          : account < "4000" || account.startsWith("80") || account.startsWith("84")
            ? "revenue"
            : "expense";
    fc.assert(
      fc.property(groups, (companies) => {
        const g = groupOf(companies, true);
        const m = matrixOf(g);
        expect(m.findings).toEqual([]);
        // The federation's elimination of the same books, mapped to the same lines.
        const rows: BalanceRow[] = g.entities.flatMap((e) =>
          e.rows.map((r) => {
            const opening = BigInt(r.opening.times(100).toFixed(0));
            return {
              entity: e.spec.id,
              account: r.account,
              counterparty: r.counterparty,
              opening,
              debit: BigInt(r.closing.times(100).toFixed(0)) - opening,
              credit: 0n,
            };
          }),
        );
        const chart = new Map<string, Account>(
          rows.map((r) => [r.account, { number: r.account, name: r.account, type: typeOf(r.account) }]),
        );
        const federation = eliminate(rows, {
          chart,
          entityIds: new Set(g.entities.map((e) => e.spec.id)),
          kinds: defaultInternalKinds({ result: "3999", balance: "2999" }),
        });
        const map = compileMapping(BUILT_IN_MAPPINGS["kommun-bas"]);
        const lines: Lines = new Map();
        for (const r of federation.groupRows) {
          const line = map(r.account)!;
          lines.set(line, (lines.get(line) ?? ZERO).plus(fromOre(closingOf(r))));
        }
        for (const [l, v] of [...lines]) if (v.isZero()) lines.delete(l);
        const k = new Map([...koncernen(m).closing].filter(([, v]) => !v.isZero()));
        expect(Object.fromEntries([...k].map(([l, v]) => [l, v.toFixed(2)]))).toEqual(
          Object.fromEntries([...lines].map(([l, v]) => [l, v.toFixed(2)])),
        );
      }),
      { numRuns: 100 },
    );
  });
});
