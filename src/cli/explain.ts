/** `consolidate explain`: a figure of the report down to its accounts, eliminations and vouchers. */
import type { BalanceRow } from "../domain/balance.js";
import { inPeriod } from "../domain/period.js";
import type { Diagnostic, Posting } from "../domain/types.js";
import { loadPostings } from "../model/ledger.js";
import { isFatal, loadLayout, loadWorkspace, periodOf, type Workspace } from "../model/workspace.js";
import { numberNotes } from "../report/build.js";
import { compileSelection } from "../report/engine.js";
import { explain, findRow, voucherLines, type Explanation, type VoucherLine } from "../report/explain.js";
import { byCause } from "../validate/causes.js";
import { explainKoncern } from "../koncern/explain.js";
import { loadKoncernWorkspace, type KoncernWorkspace } from "../koncern/load.js";
import { koncernWindows } from "../koncern/pipeline.js";
import { consolidateKoncernYear } from "../koncern/run.js";
import { consolidateYear, UsageError, windowsFor, type RunOptions } from "./pipeline.js";
import { parsePlainAmount, type Ore } from "../domain/money.js";
import type { LayoutSpec } from "../domain/config.js";

export interface ExplainOptions extends RunOptions {
  readonly entity?: string;
  /** List every voucher line (and opening balance) behind the accounts. */
  readonly vouchers?: boolean;
}

export interface ExplainResult {
  readonly explanation?: Explanation;
  readonly group?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly fatal: boolean;
}

/** "income/verksamhetens-intakter", "note/3/row", "note/id/row": the table's key and the row. */
function parseRef(layout: LayoutSpec, ref: string): { statement: string; row: string } {
  const parts = ref.split("/");
  if (parts[0] === "note" && parts.length >= 3) {
    const numbers = numberNotes(layout);
    const id = [...numbers].find(([, n]) => String(n) === parts[1])?.[0] ?? parts[1]!;
    return { statement: `note:${id}`, row: parts.slice(2).join("/") };
  }
  if (parts.length < 2)
    throw new UsageError(
      `'${ref}' names no figure: write STATEMENT/ROW, e.g. income/verksamhetens-intakter or note/3/ROW`,
    );
  return { statement: parts[0]!, row: parts.slice(1).join("/") };
}

export async function runExplain(
  dir: string,
  year: number,
  ref: string,
  options: ExplainOptions = {},
): Promise<ExplainResult> {
  const koncern = await loadKoncernWorkspace(dir, options);
  if (koncern.isKoncern) {
    if (!koncern.value || koncern.diagnostics.some((d) => d.severity === "error"))
      return { diagnostics: koncern.diagnostics, fatal: true };
    return explainInKoncern(koncern.value, year, ref, options);
  }
  const loaded = await loadWorkspace(dir, options);
  const ws = loaded.value;
  if (!ws || loaded.diagnostics.some(isFatal)) return { diagnostics: loaded.diagnostics, fatal: true };
  if (!ws.years.includes(year))
    throw new UsageError(`the workspace has no ledgers for ${year} (years: ${ws.years.join(", ") || "none"})`);
  const layout = await loadLayout(ws, year);
  if (!layout.value) return { diagnostics: [...loaded.diagnostics, ...layout.diagnostics], fatal: true };
  if (options.entity !== undefined && !ws.entities.some((e) => e.id === options.entity))
    throw new UsageError(`no entity '${options.entity}' (entities: ${ws.entities.map((e) => e.id).join(", ")})`);
  const window = windowsFor(ws, year, options.period).get(year);
  const current = await consolidateYear(ws, year, { ...options, ...(window ? { window } : {}) });
  const { statement, row } = parseRef(layout.value.spec, ref);
  const scope = options.entity ? `entity:${options.entity}` : "group";
  const declared = new Map(
    Object.entries(ws.definition.years[String(year)]?.adjustments ?? {}).map(([id, v]) => [
      id,
      parsePlainAmount(v) ?? 0n,
    ]),
  );
  const found = explain(
    {
      layout: layout.value.spec,
      data: current.data,
      chart: ws.chart,
      entities: ws.entities,
      printed: () => undefined,
      declared,
    },
    statement,
    row,
    scope,
  );
  if ("problem" in found) throw new UsageError(found.problem);
  const explanation = options.vouchers
    ? await withVouchers(
        ws,
        layout.value.spec,
        found,
        current.data.entityRows.rows(),
        window ?? periodOf(ws, year),
        current.ledgers.openingSources,
      )
    : found;
  return {
    explanation,
    group: ws.name,
    diagnostics: byCause([...loaded.diagnostics, ...layout.diagnostics, ...current.diagnostics]),
    fatal: false,
  };
}

/**
 * The voucher lines behind each account of a line, and its opening balance; what the year-end
 * closing moved to the result account is said as such. The lines add up to the accounts'
 * contributions, or the explanation says they do not.
 */
async function withVouchers(
  ws: Workspace,
  layout: LayoutSpec,
  e: Explanation,
  entityRows: readonly BalanceRow[],
  period: { start: string; end: string },
  openingSources: ReadonlyMap<string, { file: string; line?: number }>,
): Promise<Explanation> {
  if (!e.entities) return e;
  const found = findRow(layout, e.statement, e.row.id);
  if ("problem" in found) return e;
  const { table, spec } = found;
  const keys = new Set(e.entities.flatMap((x) => x.accounts.map((c) => `${c.entity}|${c.account}|${c.counterparty}`)));
  const keep = (p: Posting) => inPeriod(p.date, period) && keys.has(`${p.entity}|${p.account}|${p.counterparty}`);
  const postings = await loadPostings(ws, e.year, keep);
  const lines: VoucherLine[] = voucherLines(spec, table.sign, postings);
  const selections = (spec.select ?? []).map((s) => compileSelection(s, spec.sign ?? table.sign));
  const presented = (r: BalanceRow) => selections.reduce((t, sel) => t + (sel(r) ?? 0n), 0n);
  let addsUp = e.addsUp;
  // The closing adds a row of its own to the result account: rows of one key taken together.
  const byKey = new Map<string, BalanceRow>();
  for (const r of entityRows) {
    const key = `${r.entity}|${r.account}|${r.counterparty}`;
    if (!keys.has(key)) continue;
    const known = byKey.get(key);
    byKey.set(
      key,
      known
        ? {
            ...known,
            opening: known.opening + r.opening,
            debit: known.debit + r.debit,
            credit: known.credit + r.credit,
          }
        : r,
    );
  }
  for (const [key, r] of byKey) {
    const opening = presented({ ...r, debit: 0n, credit: 0n });
    const source = openingSources.get(`${r.entity}|${r.account}`);
    if (opening !== 0n)
      lines.push({
        file: source?.file ?? "",
        ...(source?.line ? { line: source.line } : {}),
        date: period.start,
        voucher: "IB",
        text: "Ingående balans",
        entity: r.entity,
        account: r.account,
        counterparty: r.counterparty,
        value: opening,
      });
    const listed = lines
      .filter((l) => `${l.entity}|${l.account}|${l.counterparty}` === key)
      .reduce((t, l) => t + l.value, 0n);
    const rest: Ore = presented(r) - listed;
    if (rest === 0n) continue;
    // The year-end closing moves each entity's result to the result account: no voucher holds it.
    if (r.account === ws.definition.closing.resultAccount)
      lines.push({
        file: "",
        date: period.end,
        voucher: "bokslut",
        text: "Periodens resultat, fört till eget kapital vid bokslutet",
        entity: r.entity,
        account: r.account,
        counterparty: r.counterparty,
        value: rest,
      });
    else addsUp = false;
  }
  return { ...e, vouchers: lines, addsUp };
}

/** A kommunkoncern's figure: through the koncernmatris to each entity's accounts and each entry. */
async function explainInKoncern(
  kws: KoncernWorkspace,
  year: number,
  ref: string,
  options: ExplainOptions,
): Promise<ExplainResult> {
  if (options.vouchers)
    throw new UsageError(
      "a kommunkoncern's figure is explained down to each entity's accounts; for their vouchers, explain the entity's own figure in its own workspace",
    );
  const [statement, ...rest] = ref.split("/");
  if (!statement || rest.length === 0)
    throw new UsageError(`'${ref}' names no figure: write STATEMENT/ROW, e.g. income/verksamhetens-intakter`);
  if (options.entity && options.entity !== kws.definition.parent)
    throw new UsageError(
      `the kommunkoncern's statements are the group's and the kommun's (--entity ${kws.definition.parent})`,
    );
  const window = koncernWindows(year, options.period).get(year);
  const y = await consolidateKoncernYear(kws, year, { ...options, ...(window ? { window } : {}) });
  const scope = options.entity ? `entity:${options.entity}` : "group";
  const found = explainKoncern(
    kws.definition,
    y.matrix,
    y.rows,
    statement,
    rest.join("/"),
    scope,
    (entity, account) => y.ledgers.get(entity)?.chart.get(account)?.name,
  );
  if ("problem" in found) throw new UsageError(found.problem);
  return { explanation: found, group: kws.definition.name, diagnostics: byCause([...y.diagnostics]), fatal: false };
}
