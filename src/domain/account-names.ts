import { sharedName } from "./balance.js";

/**
 * An account number as this thread holds it: one object per number, each numbered from 0 as it is
 * first met. What is kept per account (an entity's rows, whether a chart has it) is then found by
 * that number in an array, not by the text in a map: a posting's three lookups by text (the
 * account's digits, the chart, the trial balance) were a sixth of reading a large CSV ledger (perf,
 * 10M postings, one thread).
 */
export class AccountName {
  #chart: ReadonlyMap<string, unknown> | undefined;
  #inChart = false;

  constructor(
    /** The one copy of the text (sharedName). */
    readonly text: string,
    readonly id: number,
  ) {}

  /** Whether `chart` has this account: the chart is asked once, until another chart is asked about. */
  inChart(chart: ReadonlyMap<string, unknown>): boolean {
    if (chart !== this.#chart) {
      this.#inChart = chart.has(this.text);
      this.#chart = chart;
    }
    return this.#inChart;
  }
}

const byText = new Map<string, AccountName>();
let count = 0;

/** The account named `text`, as this thread holds it. */
export function accountName(text: string): AccountName {
  let name = byText.get(text);
  if (name === undefined) {
    const own = sharedName(text);
    byText.set(own, (name = new AccountName(own, count++)));
  }
  return name;
}

/** Four digits, as most account numbers are written (BAS): found by their value, in an array. */
const fourDigits = new Array<AccountName | undefined>(10_000).fill(undefined);
/** Any other run of digits, by the number its length and digits make ("0123" and "123" differ). */
const otherDigits = new Map<number, AccountName>();

/**
 * The account a text writes from `from` to `to`, when it is 1 to 13 digits (one at every line of
 * a ledger, CSV or SIE): found by the digits where they stand, without cutting them out.
 */
export function accountNameIn(text: string, from: number, to: number): AccountName | undefined {
  const n = to - from;
  if (n < 1 || n > 13) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  if (n === 4) return (fourDigits[value] ??= accountName(text.slice(from, to)));
  const key = n * 10 ** n + value; // at most 15 digits: exact in a number
  let name = otherDigits.get(key);
  if (name === undefined) otherDigits.set(key, (name = accountName(text.slice(from, to))));
  return name;
}
