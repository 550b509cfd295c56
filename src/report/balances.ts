/**
 * Saldobalans: per entity and for the group after elimination, every account with its opening
 * balance, debits, credits and closing balance, its name, and the statement line it lands on.
 * Pure: rows, chart and layout in, data out.
 */
import type { BalanceRow } from "../domain/balance.js";
import type { LayoutSpec } from "../domain/config.js";
import { ExactSum, type Ore } from "../domain/money.js";
import { asTable, type RowTable } from "../domain/row-table.js";
import type { Period } from "../domain/period.js";
import type { Account } from "../domain/types.js";
import { compileSelection } from "./engine.js";

export interface LineRef {
  readonly statement: string;
  readonly row: string;
  readonly label: string;
}

export interface BalanceLine {
  readonly account: string;
  readonly name: string;
  /** The statement lines its balances land on (one, or a line per counterparty kind). */
  readonly lines: readonly LineRef[];
  readonly opening: Ore;
  readonly debit: Ore;
  readonly credit: Ore;
  readonly closing: Ore;
}

export interface BalanceScope {
  /** "group", or "entity:ID". */
  readonly scope: string;
  readonly name: string;
  readonly rows: readonly BalanceLine[];
  readonly totals: { readonly opening: Ore; readonly debit: Ore; readonly credit: Ore; readonly closing: Ore };
}

export interface BalancesReport {
  readonly schema: "consolidate/balances@1";
  readonly group: { readonly name: string };
  readonly year: number;
  /** The part of the year, when not all of it. */
  readonly period?: Period & { readonly label: string };
  readonly scopes: readonly BalanceScope[];
}

/**
 * Which statement line row i of a table lands on: the first line of a statement that counts every
 * balance. Each account's lines are found once; where no selection that takes it looks at more
 * than the account (entities, counterparties), that is its line for every row. A saldobalans of a
 * thousand entities asked every line of the layout about each of half a million rows.
 */
export type LineOf = (rows: RowTable, i: number) => LineRef | undefined;

export function lineFinder(layout: LayoutSpec): LineOf {
  const lines = layout.statements
    .filter((s) => s.coverage !== false)
    .flatMap((s) =>
      s.rows
        .filter((r) => !r.sum && r.select)
        .map((r) => ({
          ref: { statement: s.id, row: r.id, label: r.label },
          matches: r.select!.map((sel) => compileSelection({ ...sel, measure: "closing", sign: 1 }, 1)),
        })),
    );
  type Line = (typeof lines)[number];
  const byAccount = new Map<string, { readonly line: LineRef | undefined } | { readonly candidates: Line[] }>();
  const forAccount = (account: string) => {
    const candidates = lines.filter((l) => l.matches.some((m) => m.takesAccount(account)));
    const first = candidates[0];
    const always = !first || first.matches.some((m) => m.takesAccount(account) && !m.filtersRows);
    return always ? { line: first?.ref } : { candidates };
  };
  return (rows, i) => {
    const account = rows.account(i);
    let found = byAccount.get(account);
    if (!found) byAccount.set(account, (found = forAccount(account)));
    if ("line" in found) return found.line;
    return found.candidates.find((l) => l.matches.some((m) => m.at(rows, i) !== undefined))?.ref;
  };
}

/** One scope's rows by account: counterparties added together, the lines they land on kept. */
export function balanceScope(
  scope: string,
  name: string,
  given: RowTable | readonly BalanceRow[],
  chart: ReadonlyMap<string, Account>,
  lineOf: LineOf,
): BalanceScope {
  const rows = asTable(given);
  const byAccount = new Map<
    string,
    { opening: ExactSum; debit: ExactSum; credit: ExactSum; lines: Map<string, LineRef> }
  >();
  for (let i = 0; i < rows.length; i++) {
    if (!rows.holdsAmount(i)) continue;
    const account = rows.account(i);
    let a = byAccount.get(account);
    if (!a)
      byAccount.set(
        account,
        (a = { opening: new ExactSum(), debit: new ExactSum(), credit: new ExactSum(), lines: new Map() }),
      );
    rows.addTo(a.opening, i, 0);
    rows.addTo(a.debit, i, 1);
    rows.addTo(a.credit, i, 2);
    const line = lineOf(rows, i);
    if (line) a.lines.set(`${line.statement}/${line.row}`, line);
  }
  const out: BalanceLine[] = [...byAccount]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([account, a]) => {
      const [opening, debit, credit] = [a.opening.value, a.debit.value, a.credit.value];
      return {
        account,
        name: chart.get(account)?.name ?? "",
        lines: [...a.lines.values()],
        opening,
        debit,
        credit,
        closing: opening + debit + credit,
      };
    });
  const sum = (f: (l: BalanceLine) => Ore) => out.reduce((t, l) => t + f(l), 0n);
  return {
    scope,
    name,
    rows: out,
    totals: {
      opening: sum((l) => l.opening),
      debit: sum((l) => l.debit),
      credit: sum((l) => l.credit),
      closing: sum((l) => l.closing),
    },
  };
}
