import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrialBalanceBuilder } from "../src/model/trial-balance.js";
import { VOUCHER_RULES } from "../src/validate/rules.js";
import type { Posting } from "../src/domain/types.js";
import type { Located } from "../src/model/ledger-file.js";
import type { SourceSpec } from "../src/domain/config.js";
import { SieRecord, tokenize } from "../src/read/sie.js";
import { SieScope } from "../src/model/sie/scope.js";
import { SieVouchers } from "../src/model/sie/vouchers.js";
import { ExactSum, formatKronor } from "../src/domain/money.js";
import { balanceRow, compareRows, joinRows, withRows, type BalanceRow } from "../src/domain/balance.js";
import { joinTables, rowsOfEntity, RowTable } from "../src/domain/row-table.js";
import { packRows, ReceivedNames, SentNames, unpackRows, type PackedRows } from "../src/model/row-transfer.js";
import { deserialize, serialize } from "node:v8";

// Amounts of every size: everyday ones, ones near 2^51–2^53 öre (where numbers stop being exact)
// and ones far beyond.
const nearLimit = fc
  .tuple(fc.constantFrom(2n ** 50n, 2n ** 51n, 2n ** 52n, 2n ** 53n), fc.bigInt({ min: -3n, max: 3n }), fc.boolean())
  .map(([limit, offset, negative]) => (negative ? -(limit + offset) : limit + offset));
const amount = fc.oneof(
  fc.bigInt({ min: -10_000_000n, max: 10_000_000n }),
  nearLimit,
  fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
  fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
);

/** An amount as a reader may give it: a number of öre where it fits one (Posting.ore), else a bigint. */
const fits = (ore: bigint) => ore <= 2n ** 51n && ore >= -(2n ** 51n);

describe("the trial balance", () => {
  it("adds postings of any size exactly (numbers while exact, bigints beyond)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b"), fc.constantFrom("1930", "01930"), amount), {
          minLength: 50,
          maxLength: 300,
        }),
        (postings) => {
          const tb = new TrialBalanceBuilder();
          const want = new Map<string, { debit: bigint; credit: bigint }>();
          for (const [entity, account, ore] of postings) {
            if (fits(ore) && ore % 2n === 0n) tb.addPostingOre(entity, account, "", Number(ore));
            else tb.addPosting(entity, account, "", ore);
            const w = want.get(`${entity}|${account}`) ?? { debit: 0n, credit: 0n };
            if (ore >= 0n) w.debit += ore;
            else w.credit += ore;
            want.set(`${entity}|${account}`, w);
          }
          const got = new Map(
            tb.build().map((r) => [`${r.entity}|${r.account}`, { debit: r.debit, credit: r.credit }]),
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("gives its rows in the canonical order, whatever accounts, counterparties and files came before", () => {
    // Accounts of digits and of other text, with leading zeros and of several lengths, in builders
    // one after another in one thread (accounts ranked by an earlier builder, and others met since);
    // now and then an entity of thousands of rows over thousands of accounts (more than the thread's
    // counts by rank first hold), after which a few rows over many accounts are sorted by text.
    const account = fc.oneof(
      fc.stringMatching(/^0?[1-8]\d{2,4}$/),
      fc.constantFrom("1930", "01930", "193", "A100", "a100", "Ä1", "9999999999"),
    );
    const posting = fc.tuple(fc.constantFrom("e1", "e2", "E"), account, fc.constantFrom("", "e1", "m9", "A"));
    const large = fc.tuple(fc.constant("e1"), fc.stringMatching(/^[1-8]\d{4}$/), fc.constantFrom("", "m9"));
    const file = fc.oneof(
      { arbitrary: fc.array(posting, { maxLength: 80 }), weight: 20 },
      { arbitrary: fc.array(large, { minLength: 3000, maxLength: 4000 }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 4 }), (files) => {
        for (const postings of files) {
          const tb = new TrialBalanceBuilder();
          for (const [entity, acc, party] of postings) tb.addPostingOre(entity, acc, party, 100);
          const rows = tb.build();
          expect(rows.map((r) => ({ ...r }))).toEqual([...rows].sort(compareRows).map((r) => ({ ...r })));
          expect(new Set(rows.map((r) => `${r.entity}|${r.account}|${r.counterparty}`)).size).toBe(rows.length);
          expect(unpackRows(tb.pack(new SentNames()), new ReceivedNames()).rows()).toEqual(rows);
          expect(tb.table().rows()).toEqual(rows);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps sums past 2^53 öre exact", () => {
    const tb = new TrialBalanceBuilder();
    for (let i = 0; i < 8; i++) tb.addPosting("a", "1930", "", 2n ** 51n - 1n);
    expect(tb.build()[0]!.debit).toBe(2n ** 54n - 8n);
  });

  it("finds a voucher unbalanced exactly when its amounts do not sum to zero, whatever their size", () => {
    const rule = VOUCHER_RULES.find((r) => r.code === "E-VOUCHER-UNBALANCED")!;
    const ctx = {} as Parameters<typeof rule.check>[1];
    const posting = (ore: bigint, i: number): Posting => ({
      entity: "a",
      series: "A",
      voucher: "1",
      date: "2013-01-01",
      account: "1930",
      amount: ore,
      ...(fits(ore) && i % 2 === 0 ? { ore: Number(ore) } : {}),
      counterparty: "",
      dimensions: {},
      text: "",
      source: { file: "f", line: 1 },
    });
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 12 }), fc.boolean(), (amounts, balance) => {
        const all = balance ? [...amounts, -amounts.reduce((a, b) => a + b, 0n)] : amounts;
        const sum = all.reduce((a, b) => a + b, 0n);
        expect(rule.check(all.map(posting), ctx) === undefined).toBe(sum === 0n);
      }),
      { numRuns: 3000 },
    );
    // 2^53 + 1 is not a number: added as numbers, this voucher would seem to balance.
    expect(rule.check([2n ** 53n, 1n, -(2n ** 53n)].map(posting), ctx)).toBeDefined();
  });

  it("counts a SIE file's movement exactly, whatever the size of its amounts", () => {
    const record = (raw: string) => {
      const t = tokenize(raw);
      if ("problem" in t) throw new Error(t.problem);
      return new SieRecord(t.label, t.fields, 1, raw);
    };
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 60 }), (drawn) => {
        // and a run of amounts whose sum passes 2^53 öre an öre at a time
        const amounts = [...drawn, ...Array.from({ length: 8 }, () => 2n ** 51n - 1n)];
        const ignore = () => {};
        const sink = { accept: () => false, reject: ignore, report: ignore, opening: ignore, movement: ignore };
        const scope = new SieScope("e.se", { path: "e.se" } as SourceSpec, ["e"]);
        const vouchers = new SieVouchers("e.se", scope, sink, ignore);
        for (const raw of [
          '#VER A 1 20250101 ""',
          "{",
          ...amounts.map((a) => `#TRANS 1930 {} ${formatKronor(a)}`),
          "}",
        ])
          vouchers.read(record(raw));
        expect(vouchers.movement().get("e|1930|")!.amount).toBe(amounts.reduce((a, b) => a + b, 0n));
      }),
      { numRuns: 500 },
    );
  });

  it("adds up a SIE file's movement per account and counterparty, in any order of rows, booked by its reader or not", () => {
    const record = (raw: string) => {
      const t = tokenize(raw);
      if ("problem" in t) throw new Error(t.problem);
      return new SieRecord(t.label, t.fields, 1, raw);
    };
    const row = fc.tuple(fc.constantFrom("1930", "3010", "19300"), fc.constantFrom("", "f", "m"), amount);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.array(fc.boolean()), (rows, books) => {
        const ignore = () => {};
        // A reader that books some postings into its trial balance (a rule refuses the others).
        const tb = new TrialBalanceBuilder();
        let n = 0;
        const accept = (l: Located) => {
          if (!(books[n++] ?? true)) return false;
          const p = l.posting;
          if (p.ore !== undefined) tb.addPostingOre(p.entity, p.account, p.counterparty, p.ore);
          else tb.addPosting(p.entity, p.account, p.counterparty, p.amount);
          return true;
        };
        const sink = {
          accept,
          booked: () => tb.build(),
          reject: ignore,
          report: ignore,
          opening: ignore,
          movement: ignore,
        };
        const source = { path: "e.se", motpartDimension: 20 } as SourceSpec;
        const scope = new SieScope("e.se", source, ["e", "f"]);
        const vouchers = new SieVouchers("e.se", scope, sink, ignore);
        const want = new Map<string, bigint>();
        const lines = rows.map(([account, party, a]) => {
          const key = `e|${account}|${party}`;
          want.set(key, (want.get(key) ?? 0n) + a);
          return `#TRANS ${account} {${party ? `20 "${party}"` : ""}} ${formatKronor(a)}`;
        });
        for (const raw of ['#VER A 1 20250101 ""', "{", ...lines, "}"]) vouchers.read(record(raw));
        expect(new Map([...vouchers.movement()].map(([k, v]) => [k, v.amount]))).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps distinct accounts apart (0123 is not 123, 1930 not 19300) and adds up equal ones", () => {
    // Entities take turns, so that one's rows find accounts the thread met after its first posting.
    const account = fc.string({ unit: fc.constantFrom(..."0123456789a"), minLength: 1, maxLength: 11 });
    const entity = fc.constantFrom("e1", "e3");
    fc.assert(
      fc.property(fc.array(fc.tuple(entity, account, fc.boolean()), { maxLength: 40 }), (postings) => {
        const tb = new TrialBalanceBuilder();
        const want = new Map<string, bigint>();
        for (const [e, a, party] of postings) {
          const counterparty = party ? "e2" : "";
          tb.addPostingOre(e, a, counterparty, 1);
          const key = `${e}/${a}/${counterparty}`;
          want.set(key, (want.get(key) ?? 0n) + 1n);
        }
        const got = new Map(tb.build().map((r) => [`${r.entity}/${r.account}/${r.counterparty}`, r.debit]));
        expect(got).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it("joins the trial balances of several files into one: equal keys added, canonical order", () => {
    const posting = fc.tuple(
      fc.constantFrom("a", "b"),
      fc.constantFrom("1930", "3010"),
      fc.constantFrom("", "b"),
      amount,
    );
    // A file of its own entity (one of several, or one shared) is joined without row comparisons.
    const file = fc.tuple(fc.array(posting, { maxLength: 20 }), fc.option(fc.constantFrom("c", "d", "e", "a")));
    fc.assert(
      fc.property(fc.array(file, { maxLength: 6 }), (files) => {
        const lists = files.map(([postings, own]) => {
          const tb = new TrialBalanceBuilder();
          for (const [entity, account, counterparty, ore] of postings)
            tb.addPosting(own ?? entity, account, counterparty, ore);
          return tb.build();
        });
        const want = new Map<string, BalanceRow>();
        for (const r of lists.flat()) {
          const key = `${r.entity}|${r.account}|${r.counterparty}`;
          const w = want.get(key);
          want.set(
            key,
            w
              ? { ...w, opening: w.opening + r.opening, debit: w.debit + r.debit, credit: w.credit + r.credit }
              : { ...r },
          );
        }
        const joined = joinRows(lists);
        expect(joined.map((r) => ({ ...r }))).toEqual([...want.values()].sort(compareRows));
        expect(joinTables(lists.map((l) => RowTable.from(l))).rows()).toEqual([...want.values()].sort(compareRows));
      }),
      { numRuns: 1000 },
    );
  });

  /** A table whose columns have room for `room` rows more. */
  const withRoom = (t: RowTable, room: number) => {
    const keys = new Uint32Array(t.keys.length + 3 * room);
    const amounts = new Float64Array(t.amounts.length + 3 * room);
    keys.set(t.keys);
    amounts.set(t.amounts);
    return new RowTable(keys.subarray(0, t.keys.length), amounts.subarray(0, t.amounts.length), t.exact, room);
  };

  it("puts extra rows into sorted rows where a stable sort of both would", () => {
    const row = fc
      .tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("1930", "2099", "3010"), fc.constantFrom("", "b"), amount)
      .map(([entity, account, counterparty, debit]) => ({
        entity,
        account,
        counterparty,
        opening: 0n,
        debit,
        credit: 0n,
      }));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 30 }),
        fc.array(row, { maxLength: 8 }),
        fc.integer(),
        (many, few, seed) => {
          const sorted = [...many].sort(compareRows);
          expect(withRows(sorted, few)).toEqual([...sorted, ...few].sort(compareRows));
          // A table with rows left out as well: some of the rows, by a seed.
          const dropped = sorted.map((_, i) => i).filter((i) => (seed >> (i % 31)) & 1);
          const kept = sorted.filter((_, i) => !dropped.includes(i));
          expect(RowTable.from(sorted).with(few, dropped).rows()).toEqual([...kept, ...few].sort(compareRows));
          // The same in the table's own columns, where they have room for the rows put in.
          expect(withRoom(RowTable.from(sorted), 8).into(few, dropped).rows()).toEqual(
            [...kept, ...few].sort(compareRows),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("finds an entity's rows of a table as a filter would", () => {
    const row = fc
      .tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("1930", "3010"), amount)
      .map(([entity, account, debit]) => balanceRow(entity, account, "", 0n, debit, 0n));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const list = [...rows].sort(compareRows);
        const table = RowTable.from(list);
        for (const e of ["a", "b", "c", "d"])
          expect(rowsOfEntity(table, e).rows()).toEqual(list.filter((r) => r.entity === e));
      }),
      { numRuns: 500 },
    );
  });

  it("tells a row of nothing (no opening, debits and credits even) exactly, whatever the size of its amounts", () => {
    const even = fc.tuple(amount, fc.bigInt({ min: -2n, max: 2n })).map(([a, d]) => [a, -a + d] as const);
    fc.assert(
      fc.property(fc.constantFrom(0n, 1n), even, (opening, [debit, credit]) => {
        const r = balanceRow("e", "1930", "", opening, debit, credit);
        expect(RowTable.from([r]).isZero(0)).toBe(opening === 0n && debit + credit === 0n);
      }),
      { numRuns: 2000 },
    );
  });

  it("adds amounts of any size exactly as numbers while it can (ExactSum)", () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 200 }), (amounts) => {
        const sum = new ExactSum();
        for (const a of amounts) sum.add(a);
        expect(sum.value).toBe(amounts.reduce((t, a) => t + a, 0n));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("trial-balance rows sent between threads", () => {
  const name = fc.oneof(fc.constantFrom("", "e01", "1930", "k\u0000x", "\u0000"), fc.string({ maxLength: 4 }));
  const big = fc.oneof(
    fc.bigInt({ min: -1_000_000n, max: 1_000_000n }),
    fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, -(2n ** 63n) - 1n),
    fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
  );
  const row = fc.record({ entity: name, account: name, counterparty: name, opening: big, debit: big, credit: big });

  /** Batches of rows sent one after another from one thread to another, as a reader sends its files'. */
  const sendAll = (batches: readonly (readonly BalanceRow[])[]) => {
    const sent = new SentNames();
    const received = new ReceivedNames();
    return batches.map((rows) =>
      unpackRows(deserialize(serialize(packRows(rows, sent))) as PackedRows, received).rows(),
    );
  };

  it("arrive as they were sent, exactly, whatever their names and amounts, batch after batch", () => {
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 20 }), { maxLength: 5 }), (batches) => {
        expect(sendAll(batches)).toEqual(batches);
      }),
      { numRuns: 500 },
    );
  });

  it("travel as places in the names sent so far, each name sent once, and the amounts, when they can", () => {
    const rows = [
      { entity: "e01", account: "1930", counterparty: "", opening: 1n, debit: 2n ** 53n - 1n, credit: -5n },
      { entity: "e01", account: "3010", counterparty: "e02", opening: 0n, debit: 0n, credit: -(2n ** 53n - 1n) },
    ];
    const sent = new SentNames();
    expect(packRows(rows, sent)).toEqual({
      names: "e01\u00001930\u0000\u00003010\u0000e02",
      first: 0,
      count: 5,
      places: Uint32Array.from([0, 1, 2, 0, 3, 4]),
      amounts: Float64Array.from([1, 2 ** 53 - 1, -5, 0, 0, -(2 ** 53 - 1)]),
    });
    // The next batch sends only the names it brings: here the empty name is sent already, "" is none.
    expect(packRows([{ ...rows[0]!, entity: "e02", counterparty: "e01" }], sent)).toMatchObject({
      names: "",
      first: 5,
      count: 0,
      places: Uint32Array.from([4, 1, 0]),
    });
    // Past 2^53 a number is no longer exact; a name with the separator cannot be joined. Such rows
    // go as they are, and the names they brought are not counted as sent.
    expect(packRows([{ ...rows[0]!, entity: "new", debit: 2n ** 53n }], sent)).toHaveProperty("rows");
    expect(packRows([{ ...rows[0]!, entity: "new", credit: -(2n ** 53n) - 1n }], sent)).toHaveProperty("rows");
    expect(packRows([{ ...rows[0]!, entity: "new", counterparty: "a\u0000b" }], sent)).toHaveProperty("rows");
    expect(sent.count).toBe(5);
  });

  it("are refused when they arrive out of order", () => {
    const sent = new SentNames();
    const row = { entity: "e01", account: "1930", counterparty: "", opening: 0n, debit: 1n, credit: 0n };
    packRows([row], sent);
    const second = packRows([{ ...row, entity: "e02" }], sent);
    expect(() => unpackRows(second, new ReceivedNames())).toThrow(/out of order/);
  });

  it("are packed from a trial balance as it would build them, whatever the sizes of its sums", () => {
    const posting = fc.tuple(
      fc.constantFrom("e01", "e02"),
      fc.constantFrom("1930", "3010", "19300"),
      fc.constantFrom("", "e02", "k"),
      amount,
    );
    const everyday = fc.bigInt({ min: -10_000_000n, max: 10_000_000n });
    const ways = { packed: 0, rows: 0 };
    // One sender and one receiver throughout, as a reader's files one after another.
    const sent = new SentNames();
    const received = new ReceivedNames();
    fc.assert(
      fc.property(
        fc.array(posting, { maxLength: 60 }),
        fc.array(fc.oneof(everyday, amount), { maxLength: 3 }),
        fc.boolean(),
        (postings, openings, small) => {
          const tb = new TrialBalanceBuilder();
          openings.forEach((a, i) => tb.addOpening("e01", "2099", "", a * BigInt(i + 1)));
          for (const [entity, account, counterparty, any] of postings) {
            const ore = small ? any % 10_000_000n : any;
            if (fits(ore)) tb.addPostingOre(entity, account, counterparty, Number(ore));
            else tb.addPosting(entity, account, counterparty, ore);
          }
          const packed = tb.pack(sent);
          ways["rows" in packed ? "rows" : "packed"]++;
          expect(unpackRows(deserialize(serialize(packed)) as PackedRows, received).rows()).toEqual(tb.build());
          expect(tb.table().rows()).toEqual(tb.build());
        },
      ),
      { numRuns: 1000 },
    );
    // Both ways were taken: numbers, and rows as they are where a sum outgrew them.
    expect(ways.packed).toBeGreaterThan(100);
    expect(ways.rows).toBeGreaterThan(100);
  });

  it("name an account by its place only while the place is still the account's", () => {
    // An account's place is looked up once per list of names sent; a file whose rows went as they
    // are gives back the places its names took, and a later name may take one of them.
    const sent = new SentNames();
    const received = new ReceivedNames();
    const send = (tb: TrialBalanceBuilder) =>
      unpackRows(deserialize(serialize(tb.pack(sent))) as PackedRows, received).rows();
    const file = (postings: readonly [string, bigint][]) => {
      const tb = new TrialBalanceBuilder();
      for (const [account, ore] of postings) tb.addPosting("e01", account, "", ore);
      return tb;
    };
    const outgrown = file([
      ["7101", 5n],
      ["7102", 2n ** 60n],
    ]);
    expect(send(outgrown)).toEqual(outgrown.build());
    const taker = file([["7103", 7n]]);
    expect(send(taker)).toEqual(taker.build());
    const again = file([["7101", 9n]]);
    expect(send(again)).toEqual([balanceRow("e01", "7101", "", 0n, 9n, 0n)]);
  });
});
