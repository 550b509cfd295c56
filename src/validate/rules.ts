import { shortText } from "../read/csv.js";
import { closest, didYouMean } from "../domain/suggest.js";
import { inPeriod, periodText, type Period } from "../domain/period.js";
import type { Ore } from "../domain/money.js";
import { formatSek } from "../domain/money.js";
import type { Account, Posting } from "../domain/types.js";
import { voucherId } from "../domain/types.js";

/** What a rule knows besides the record it checks. */
export interface RuleContext {
  readonly year: number;
  /** The fiscal year's first and last day. */
  readonly period: Period;
  readonly chart: ReadonlyMap<string, Account>;
  readonly entityIds: ReadonlySet<string>;
  readonly memberCodes: ReadonlySet<string>;
}

/** A rule's finding; the reader that produced the record adds file, line and column of `field`. */
export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  readonly field: string;
  /** Index of the posting a voucher rule points at (default: the first). */
  readonly posting?: number;
}

export interface PostingRule {
  readonly code: string;
  /** Whether the posting passes the rule: check then finds nothing. */
  passes(p: Posting, ctx: RuleContext): boolean;
  check(p: Posting, ctx: RuleContext): Finding | undefined;
}

/** A posting rule from what it asks of a posting and what it finds in one that fails. */
const postingRule = (
  code: string,
  passes: PostingRule["passes"],
  finding: (p: Posting, ctx: RuleContext) => Finding,
): PostingRule => ({ code, passes, check: (p, ctx) => (passes(p, ctx) ? undefined : finding(p, ctx)) });

export interface VoucherRule {
  readonly code: string;
  check(postings: readonly Posting[], ctx: RuleContext): Finding | undefined;
}

const accountInChart = postingRule(
  "E-ACCOUNT-UNKNOWN",
  (p, ctx) => (p.accountName === undefined ? ctx.chart.has(p.account) : p.accountName.inChart(ctx.chart)),
  (p, ctx) => unknownAccount(p.account, ctx.chart),
);

// The nearest account of a chart to each unknown number, found once: a typo repeats on many lines.
const nearestAccounts = new WeakMap<ReadonlyMap<string, Account>, Map<string, string>>();

/** An account the chart lacks, with the account of the chart it most likely means (1939 → 1930 Bank). */
export function unknownAccount(account: string, chart: ReadonlyMap<string, Account>): Finding {
  let cache = nearestAccounts.get(chart);
  if (!cache) nearestAccounts.set(chart, (cache = new Map()));
  let suggestion = cache.get(account);
  if (suggestion === undefined) {
    const same = [...chart.keys()].filter((n) => n.length === account.length);
    const near = closest(account, same, 1);
    suggestion = near ? ` Did you mean ${near} ${chart.get(near)!.name}?` : "";
    cache.set(account, suggestion);
  }
  return {
    code: "E-ACCOUNT-UNKNOWN",
    message: `account ${account} is not in the chart of accounts`,
    hint: `Correct the account number, or add the account to the chart.${suggestion}`,
    field: "account",
  };
}

/** A counterparty that names no entity or member, with the id it most likely means. */
export function unknownCounterparty(
  counterparty: string,
  ctx: Pick<RuleContext, "entityIds" | "memberCodes">,
): Finding {
  return {
    code: "E-COUNTERPARTY-UNKNOWN",
    message: `counterparty '${shortText(counterparty)}' names no entity or member of the group`,
    hint: `A counterparty is another entity's id (an internal item) or a member's code from consolidate.json.${didYouMean(counterparty, [...ctx.entityIds, ...ctx.memberCodes])}`,
    field: "counterparty",
  };
}

const unknownEntity = postingRule(
  "E-ENTITY-UNKNOWN",
  (p, ctx) => ctx.entityIds.has(p.entity),
  (p, ctx) => ({
    code: "E-ENTITY-UNKNOWN",
    message: `entity '${shortText(p.entity)}' is not an entity of the group`,
    hint: `Known entities: ${[...ctx.entityIds].join(", ")}.`,
    field: "entity",
  }),
);

const dateOutsideYear = postingRule(
  "E-DATE-OUTSIDE-YEAR",
  (p, ctx) => inPeriod(p.date, ctx.period),
  (p, ctx) => ({
    code: "E-DATE-OUTSIDE-YEAR",
    message: `posting dated ${p.date} lies outside the fiscal year ${ctx.year} (${periodText(ctx.period)})`,
    hint: "Book it in the ledger of its own year, or correct the date.",
    field: "date",
  }),
);

const counterpartyKnown = postingRule(
  "E-COUNTERPARTY-UNKNOWN",
  (p, ctx) => p.counterparty === "" || ctx.entityIds.has(p.counterparty) || ctx.memberCodes.has(p.counterparty),
  (p, ctx) => unknownCounterparty(p.counterparty, ctx),
);

const SAFE_NUMBER = 2 ** 50;
const SAFE = BigInt(SAFE_NUMBER);

/**
 * Whether amounts each below 2^50 öre sum to zero, added as numbers (exact: a voucher would need
 * eight such postings to reach 2^53, and no bigint is made). False also when that cannot be told.
 */
function balancesAsNumbers(postings: readonly Posting[]): boolean {
  if (postings.length > 8) return false;
  let total = 0;
  for (const p of postings) {
    if (p.ore !== undefined && p.ore <= SAFE_NUMBER && p.ore >= -SAFE_NUMBER) total += p.ore;
    else if (p.amount > SAFE || p.amount < -SAFE) return false;
    else total += Number(p.amount);
  }
  return total === 0;
}

const unbalanced: VoucherRule = {
  code: "E-VOUCHER-UNBALANCED",
  check(postings) {
    if (balancesAsNumbers(postings)) return undefined;
    let total: Ore = 0n;
    for (const p of postings) total += p.amount;
    if (total === 0n) return undefined;
    const first = postings[0]!;
    return {
      code: "E-VOUCHER-UNBALANCED",
      message: `voucher ${voucherId(first.series, first.voucher)} does not balance: debits and credits differ by ${formatSek(total)} kr`,
      hint: "The postings of a voucher must sum to zero (debit positive, credit negative).",
      field: "voucher",
    };
  },
};

/** Two postings alike in everything a ledger says of them but their place in the file. */
function samePosting(p: Posting, q: Posting): boolean {
  if (
    (p.ore !== undefined && q.ore !== undefined ? p.ore !== q.ore : p.amount !== q.amount) ||
    p.account !== q.account ||
    p.date !== q.date ||
    p.entity !== q.entity ||
    p.counterparty !== q.counterparty ||
    p.text !== q.text
  )
    return false;
  const a = Object.keys(p.dimensions);
  return (
    a.length === Object.keys(q.dimensions).length &&
    a.every((k) => Object.hasOwn(q.dimensions, k) && p.dimensions[k] === q.dimensions[k])
  );
}

/** Blocks this long are looked for anywhere in a voucher; longer ones where it starts or ends. */
const SHORT_BLOCK = 64;

/**
 * A block of postings that balances, is not all zero, and comes again right after itself
 * (postings i … i+L-1 repeated as i+L … i+2L-1): the voucher still balances, with its amounts
 * counted twice. Two exports joined where they overlap leave this (the repeated voucher merges with
 * itself, being the same number), and so does a block of rows pasted twice. Short blocks are
 * sought anywhere, blocks of any length at the voucher's start and end: linear in the voucher's
 * size for all but vouchers of long runs of identical rows.
 */
export function repeatedBlock(postings: readonly Posting[]): { start: number; length: number } | undefined {
  const n = postings.length;
  if (n < 4) return undefined; // a balanced block that is not all zero has two postings at least
  const repeats = (i: number, length: number) => {
    let total: Ore = 0n;
    let moves = false;
    for (let k = 0; k < length; k++) {
      const p = postings[i + k]!;
      if (!samePosting(p, postings[i + length + k]!)) return false;
      total += p.amount;
      moves ||= p.amount !== 0n;
    }
    return total === 0n && moves;
  };
  for (let i = 0; i + 4 <= n; i++)
    for (let length = 2; length <= SHORT_BLOCK && i + 2 * length <= n; length++)
      if (repeats(i, length)) return { start: i, length };
  for (let length = SHORT_BLOCK + 1; 2 * length <= n; length++) {
    if (repeats(0, length)) return { start: 0, length };
    if (repeats(n - 2 * length, length)) return { start: n - 2 * length, length };
  }
  return undefined;
}

const lines = (postings: readonly Posting[]) => {
  const [first, last] = [postings[0]!.source.line, postings[postings.length - 1]!.source.line];
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
};

const repeated: VoucherRule = {
  code: "E-VOUCHER-REPEATED",
  check(postings) {
    const block = repeatedBlock(postings);
    if (!block) return undefined;
    const { start, length } = block;
    const first = postings[0]!;
    return {
      code: "E-VOUCHER-REPEATED",
      message: `voucher ${voucherId(first.series, first.voucher)} books the same postings twice: ${lines(postings.slice(start + length, start + 2 * length))} repeat ${lines(postings.slice(start, start + length))}`,
      hint: "Remove the repeated rows (two exports joined where they overlap repeat a voucher). Rows that do book the same amounts twice must differ in their text.",
      field: "account",
      posting: start + length,
    };
  },
};

/** Every rule applied to each posting and to each voucher as it streams past. */
export const POSTING_RULES: readonly PostingRule[] = [
  unknownEntity,
  accountInChart,
  dateOutsideYear,
  counterpartyKnown,
];

/**
 * Whether a posting passes every rule of POSTING_RULES. Each rule is asked by name, not through
 * the list: V8 then inlines the conditions, where a call through the list costs each posting four
 * calls it cannot inline (5 % of a run's instructions at a million postings, measured). A rule
 * added to the list is asked here too (test/rules.test.ts fails until it is).
 */
export const passesPostingRules = (p: Posting, ctx: RuleContext): boolean =>
  unknownEntity.passes(p, ctx) &&
  accountInChart.passes(p, ctx) &&
  dateOutsideYear.passes(p, ctx) &&
  counterpartyKnown.passes(p, ctx);

export const VOUCHER_RULES: readonly VoucherRule[] = [unbalanced, repeated];
