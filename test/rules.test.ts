import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { passesPostingRules, POSTING_RULES, type PostingRule, type RuleContext } from "../src/validate/rules.js";
import type { Account, Posting } from "../src/domain/types.js";
import { accountName } from "../src/domain/account-names.js";

const chart = new Map<string, Account>([
  ["1930", { number: "1930", name: "Bank", type: "asset" }],
  ["3010", { number: "3010", name: "Avgifter", type: "revenue" }],
]);
const ctx: RuleContext = {
  year: 2025,
  period: { start: "2025-01-01", end: "2025-12-31" },
  chart,
  entityIds: new Set(["e1", "e2"]),
  memberCodes: new Set(["K1"]),
};
/** Another workspace's chart: an account's name remembers whether the chart asked last has it. */
const otherCtx: RuleContext = {
  ...ctx,
  chart: new Map<string, Account>([["1939", { number: "1939", name: "Plusgiro", type: "asset" }]]),
};

const posting = (entity: string, account: string, date: string, counterparty: string, named = false): Posting => ({
  entity,
  series: "A",
  voucher: "1",
  date,
  account,
  ...(named ? { accountName: accountName(account) } : {}),
  amount: 100n,
  ore: 100,
  counterparty,
  dimensions: {},
  text: "",
  source: { file: "ledger.csv", line: 2 },
});

const anyPosting = fc
  .tuple(
    fc.constantFrom("e1", "e2", "e3", ""),
    fc.constantFrom("1930", "3010", "1939", "01930", "193"),
    fc.constantFrom("2025-01-01", "2025-12-31", "2024-12-31", "2026-01-01", "2025-06-15"),
    fc.constantFrom("", "e1", "e2", "K1", "K2", "e3"),
    fc.boolean(),
  )
  .map(([entity, account, date, counterparty, named]) => posting(entity, account, date, counterparty, named));

describe("posting rules", () => {
  it("passesPostingRules agrees with every rule of the list, each asked through check", () => {
    fc.assert(
      fc.property(anyPosting, fc.boolean(), (p, other) => {
        const c = other ? otherCtx : ctx;
        const findings = POSTING_RULES.map((r) => r.check(p, c));
        expect(passesPostingRules(p, c)).toBe(findings.every((f) => f === undefined));
        POSTING_RULES.forEach((r, i) => expect(r.passes(p, c)).toBe(findings[i] === undefined));
      }),
      { numRuns: 1000 },
    );
  });

  it("an account found by its name is in a chart exactly when its text is, whichever chart was asked last", () => {
    fc.assert(
      fc.property(anyPosting, fc.boolean(), (p, other) => {
        const c = other ? otherCtx : ctx;
        const named = { ...p, accountName: accountName(p.account) };
        const { accountName: _, ...plain } = p;
        for (const rule of POSTING_RULES) expect(rule.passes(named, c), rule.code).toBe(rule.passes(plain, c));
      }),
      { numRuns: 1000 },
    );
  });

  it("passesPostingRules asks every rule of the list: one that fails fails the posting", () => {
    const good = posting("e1", "1930", "2025-06-15", "e2");
    expect(passesPostingRules(good, ctx)).toBe(true);
    for (const rule of POSTING_RULES) {
      const passes = rule.passes;
      (rule as { passes: PostingRule["passes"] }).passes = () => false;
      try {
        expect(passesPostingRules(good, ctx), rule.code).toBe(false);
      } finally {
        (rule as { passes: PostingRule["passes"] }).passes = passes;
      }
    }
  });

  it("finds each fault with its code and field", () => {
    const cases: [Posting, string, string][] = [
      [posting("e9", "1930", "2025-06-15", ""), "E-ENTITY-UNKNOWN", "entity"],
      [posting("e1", "1939", "2025-06-15", ""), "E-ACCOUNT-UNKNOWN", "account"],
      [posting("e1", "1930", "2026-01-01", ""), "E-DATE-OUTSIDE-YEAR", "date"],
      [posting("e1", "1930", "2025-06-15", "K2"), "E-COUNTERPARTY-UNKNOWN", "counterparty"],
    ];
    for (const [p, code, field] of cases) {
      const found = POSTING_RULES.flatMap((r) => r.check(p, ctx) ?? []);
      expect(found.map((f) => [f.code, f.field])).toEqual([[code, field]]);
      expect(passesPostingRules(p, ctx)).toBe(false);
    }
  });
});
