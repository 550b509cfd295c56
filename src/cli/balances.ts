/** `consolidate balances`: the saldobalans of a year (or a part of it), per entity and for the group. */
import { eliminate } from "../consolidate/eliminate.js";
import { rowsOfEntity } from "../domain/row-table.js";
import { partLabel } from "../domain/period.js";
import { didYouMean } from "../domain/suggest.js";
import type { Diagnostic } from "../domain/types.js";
import { roundedToSum, ZERO } from "../koncern/decimal.js";
import { lineOf as groupLine } from "../koncern/lines.js";
import { loadKoncernWorkspace, type KoncernWorkspace } from "../koncern/load.js";
import { koncernWindows } from "../koncern/pipeline.js";
import { consolidateKoncernYear } from "../koncern/run.js";
import { loadYear } from "../model/ledger.js";
import { isFatal, loadLayout, loadWorkspace } from "../model/workspace.js";
import { balanceScope, lineFinder, type BalanceScope, type BalancesReport, type LineOf } from "../report/balances.js";
import { byCause } from "../validate/causes.js";
import { UsageError, windowsFor, type RunOptions } from "./pipeline.js";

export interface BalancesOptions extends RunOptions {
  /** One entity's saldobalans only. */
  readonly entity?: string;
}

export interface BalancesResult {
  readonly balances?: BalancesReport;
  readonly diagnostics: readonly Diagnostic[];
  readonly fatal: boolean;
}

function chosen<T extends { id: string }>(entities: readonly T[], wanted: string | undefined): T[] {
  if (wanted === undefined) return [...entities];
  const hit = entities.filter((e) => e.id === wanted);
  if (hit.length === 0)
    throw new UsageError(
      `no entity '${wanted}' in the workspace.${didYouMean(
        wanted,
        entities.map((e) => e.id),
      )} Entities: ${entities.map((e) => e.id).join(", ")}.`,
    );
  return hit;
}

export async function runBalances(dir: string, year: number, options: BalancesOptions = {}): Promise<BalancesResult> {
  const koncern = await loadKoncernWorkspace(dir, options);
  if (koncern.isKoncern) {
    if (!koncern.value || koncern.diagnostics.some((d) => d.severity === "error"))
      return { diagnostics: koncern.diagnostics, fatal: true };
    return koncernBalances(koncern.value, year, options);
  }
  const loaded = await loadWorkspace(dir, options);
  const ws = loaded.value;
  if (!ws || loaded.diagnostics.some(isFatal)) return { diagnostics: loaded.diagnostics, fatal: true };
  if (!ws.years.includes(year))
    throw new UsageError(`the workspace has no ledgers for ${year} (years: ${ws.years.join(", ") || "none"})`);
  const layout = await loadLayout(ws, year);
  if (!layout.value) return { diagnostics: [...loaded.diagnostics, ...layout.diagnostics], fatal: true };
  const window = windowsFor(ws, year, options.period).get(year);
  const { ledgers, diagnostics } = await loadYear(ws, year, { ...options, ...(window ? { window } : {}) });
  const lineOf = lineFinder(layout.value.spec);
  const scopes: BalanceScope[] = chosen(ws.entities, options.entity).map((e) =>
    balanceScope(`entity:${e.id}`, e.name, rowsOfEntity(ledgers.rows, e.id), ws.chart, lineOf),
  );
  if (options.entity === undefined) {
    const settings = { chart: ws.chart, entityIds: new Set(ws.entities.map((e) => e.id)), kinds: ws.internalKinds };
    scopes.push(balanceScope("group", ws.name, eliminate(ledgers.rows, settings).groupRows, ws.chart, lineOf));
  }
  return {
    balances: {
      schema: "consolidate/balances@1",
      group: { name: ws.name },
      year,
      ...(window ? { period: { ...window, label: partLabel(window) } } : {}),
      scopes,
    },
    diagnostics: byCause([...loaded.diagnostics, ...layout.diagnostics, ...diagnostics]),
    fatal: false,
  };
}

/**
 * A kommunkoncern's saldobalans: each entity's ledger as read, every account with the group line
 * it lands on; the group's is the koncernmatris's Koncernen column, a group line a row.
 */
async function koncernBalances(kws: KoncernWorkspace, year: number, options: BalancesOptions): Promise<BalancesResult> {
  if (!kws.years.includes(year))
    throw new UsageError(`the kommunkoncern has no ledgers for ${year} (years: ${kws.years.join(", ") || "none"})`);
  const entities = chosen(kws.definition.entities, options.entity);
  const window = koncernWindows(year, options.period).get(year);
  const y = await consolidateKoncernYear(kws, year, { ...options, ...(window ? { window } : {}) });
  const scopes: BalanceScope[] = entities.flatMap((e) => {
    const ledger = y.ledgers.get(e.id);
    if (!ledger) return [];
    const lineOf: LineOf = (rows, i) => {
      const line = groupLine(ledger.lineOf(rows.account(i)) ?? "");
      return line ? { statement: "koncernmatris", row: line.id, label: line.label } : undefined;
    };
    return [balanceScope(`entity:${e.id}`, e.name, ledger.rows, ledger.chart, lineOf)];
  });
  if (options.entity === undefined) {
    const koncernen = y.matrix.columns.find((c) => c.id === "koncernen")!;
    const ids = [...new Set([...koncernen.opening.keys(), ...koncernen.closing.keys()])];
    // Exact amounts rounded so that the saldobalans still balances to the öre.
    const openings = roundedToSum(ids.map((id) => koncernen.opening.get(id) ?? ZERO));
    const closings = roundedToSum(ids.map((id) => koncernen.closing.get(id) ?? ZERO));
    const rows = ids.map((id, i) => {
      const opening = openings[i]!;
      const movement = closings[i]! - opening;
      return {
        entity: kws.definition.parent,
        account: id,
        counterparty: "",
        opening,
        debit: movement > 0n ? movement : 0n,
        credit: movement < 0n ? movement : 0n,
      };
    });
    const names = new Map(
      rows.map((r) => [r.account, { number: r.account, name: groupLine(r.account)!.label, type: "asset" as const }]),
    );
    scopes.push(balanceScope("group", kws.definition.name, rows, names, () => undefined));
  }
  return {
    balances: {
      schema: "consolidate/balances@1",
      group: { name: kws.definition.name },
      year,
      ...(window ? { period: { ...window, label: partLabel(window) } } : {}),
      scopes,
    },
    diagnostics: byCause([...y.diagnostics]),
    fatal: false,
  };
}
