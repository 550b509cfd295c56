/**
 * Saldobalans: per entity and for the group after elimination, every account with its opening
 * balance, debits, credits and closing balance, its name, and the statement line it lands on.
 * Pure: rows, chart and layout in, data out.
 */
import type { BalanceRow } from "../domain/balance.js";
import type { LayoutSpec } from "../domain/config.js";
import type { Ore } from "../domain/money.js";
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

/** Which statement line a balance row lands on: the first line of a statement that counts every balance. */
export function lineFinder(layout: LayoutSpec): (r: BalanceRow) => LineRef | undefined {
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
  return (r) => lines.find((l) => l.matches.some((m) => m(r) !== undefined))?.ref;
}

/** One scope's rows by account: counterparties added together, the lines they land on kept. */
export function balanceScope(
  scope: string,
  name: string,
  rows: readonly BalanceRow[],
  chart: ReadonlyMap<string, Account>,
  lineOf: (r: BalanceRow) => LineRef | undefined,
): BalanceScope {
  const byAccount = new Map<string, { opening: Ore; debit: Ore; credit: Ore; lines: Map<string, LineRef> }>();
  for (const r of rows) {
    if (r.opening === 0n && r.debit === 0n && r.credit === 0n) continue;
    const a = byAccount.get(r.account) ?? { opening: 0n, debit: 0n, credit: 0n, lines: new Map() };
    a.opening += r.opening;
    a.debit += r.debit;
    a.credit += r.credit;
    const line = lineOf(r);
    if (line) a.lines.set(`${line.statement}/${line.row}`, line);
    byAccount.set(r.account, a);
  }
  const out: BalanceLine[] = [...byAccount]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([account, a]) => ({
      account,
      name: chart.get(account)?.name ?? "",
      lines: [...a.lines.values()],
      opening: a.opening,
      debit: a.debit,
      credit: a.credit,
      closing: a.opening + a.debit + a.credit,
    }));
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
