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
  check(p: Posting, ctx: RuleContext): Finding | undefined;
}

export interface VoucherRule {
  readonly code: string;
  check(postings: readonly Posting[], ctx: RuleContext): Finding | undefined;
}

const accountInChart: PostingRule = {
  code: "E-ACCOUNT-UNKNOWN",
  check: (p, ctx) => (ctx.chart.has(p.account) ? undefined : unknownAccount(p.account, ctx.chart)),
};

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
    message: `counterparty '${counterparty}' names no entity or member of the group`,
    hint: `A counterparty is another entity's id (an internal item) or a member's code from consolidate.json.${didYouMean(counterparty, [...ctx.entityIds, ...ctx.memberCodes])}`,
    field: "counterparty",
  };
}

const unknownEntity: PostingRule = {
  code: "E-ENTITY-UNKNOWN",
  check: (p, ctx) =>
    ctx.entityIds.has(p.entity)
      ? undefined
      : {
          code: "E-ENTITY-UNKNOWN",
          message: `entity '${p.entity}' is not an entity of the group`,
          hint: `Known entities: ${[...ctx.entityIds].join(", ")}.`,
          field: "entity",
        },
};

const dateOutsideYear: PostingRule = {
  code: "E-DATE-OUTSIDE-YEAR",
  check: (p, ctx) =>
    inPeriod(p.date, ctx.period)
      ? undefined
      : {
          code: "E-DATE-OUTSIDE-YEAR",
          message: `posting dated ${p.date} lies outside the fiscal year ${ctx.year} (${periodText(ctx.period)})`,
          hint: "Book it in the ledger of its own year, or correct the date.",
          field: "date",
        },
};

const counterpartyKnown: PostingRule = {
  code: "E-COUNTERPARTY-UNKNOWN",
  check: (p, ctx) =>
    p.counterparty === "" || ctx.entityIds.has(p.counterparty) || ctx.memberCodes.has(p.counterparty)
      ? undefined
      : unknownCounterparty(p.counterparty, ctx),
};

const unbalanced: VoucherRule = {
  code: "E-VOUCHER-UNBALANCED",
  check(postings) {
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

/** Every rule applied to each posting and to each voucher as it streams past. */
export const POSTING_RULES: readonly PostingRule[] = [
  unknownEntity,
  accountInChart,
  dateOutsideYear,
  counterpartyKnown,
];
export const VOUCHER_RULES: readonly VoucherRule[] = [unbalanced];
