/**
 * A kommunkoncern's figure explained: a statement row of the sammanställda räkenskaper down to the
 * koncernmatris columns (each entity at its share, each step), each entity's accounts behind it
 * and each journal entry of a step. Checked on exact amounts. Pure.
 */
import type { RowSpec } from "../domain/config.js";
import type { Explanation } from "../report/explain.js";
import { Dec, toOre, ZERO } from "./decimal.js";
import type { KoncernDefinition } from "./definition.js";
import { koncernLayout } from "./layout.js";
import { lineOf } from "./lines.js";
import type { EntityRow, KoncernMatrix } from "./matrix.js";

/** The group lines a row adds, with their sign as presented; a sum row through the rows it adds. */
function linesOfRow(rows: readonly RowSpec[], id: string, sign: 1 | -1): Map<string, Dec> {
  const spec = rows.find((r) => r.id === id);
  const out = new Map<string, Dec>();
  if (!spec) return out;
  if (spec.sum) {
    for (const part of spec.sum)
      for (const [line, s] of linesOfRow(rows, part, sign)) out.set(line, (out.get(line) ?? ZERO).plus(s));
    return out;
  }
  const rowSign = spec.sign ?? sign;
  for (const sel of spec.select ?? [])
    for (const line of sel.lines ?? []) out.set(line, (out.get(line) ?? ZERO).plus(rowSign * (sel.sign ?? 1)));
  return out;
}

export function explainKoncern(
  def: KoncernDefinition,
  matrix: KoncernMatrix,
  rows: ReadonlyMap<string, readonly EntityRow[]>,
  statement: string,
  ref: string,
  scope: string,
  accountName: (entity: string, account: string) => string | undefined = () => undefined,
): Explanation | { problem: string } {
  const layout = koncernLayout(def);
  const table = layout.statements.find((s) => s.id === statement);
  if (!table) return { problem: `no statement '${statement}': ${layout.statements.map((s) => s.id).join(", ")}` };
  const spec =
    table.rows.find((r) => r.id === ref) ?? table.rows.find((r) => r.label.toLowerCase().startsWith(ref.toLowerCase()));
  if (!spec) return { problem: `no row '${ref}' in ${statement}: ${table.rows.map((r) => r.id).join(", ")}` };
  const measure = spec.select?.[0]?.measure ?? "closing";
  if (measure !== "closing")
    return {
      problem: `${statement}/${spec.id} is a change between two balance sheets: explain the balance sheet's lines`,
    };
  const weights = linesOfRow(table.rows, spec.id, table.sign ?? 1);
  const parent = def.parent;
  const columns = matrix.columns.filter((c) => c.id !== "koncernen" && (scope === "group" || c.id === parent));
  const value = (lines: Map<string, Dec>) =>
    [...weights].reduce((t, [line, w]) => t.plus((lines.get(line) ?? ZERO).times(w)), ZERO);
  const figure = columns.reduce((t, c) => t.plus(value(c.closing)), ZERO);
  const names = new Map(def.entities.map((e) => [e.id, e.name]));
  const entities = columns.map((c) => {
    const share = matrix.shares.get(c.id);
    const own = share
      ? (rows.get(c.id) ?? [])
          .filter((r) => weights.has(r.line) && !r.closing.isZero())
          .map((r) => ({
            entity: c.id,
            account: r.account,
            name: accountName(c.id, r.account) ?? lineOf(r.line)!.label,
            counterparty: r.counterparty,
            value: toOre(r.closing.times(share).times(weights.get(r.line)!)),
          }))
      : matrix.journal
          .filter((j) => columnOf(j.step) === c.id)
          .map((j) => ({ entity: c.id, account: j.id, name: j.text, counterparty: "", value: toOre(value(j.lines)) }))
          .filter((x) => x.value !== 0n);
    return { entity: c.id, name: c.label ?? names.get(c.id) ?? c.id, total: toOre(value(c.closing)), accounts: own };
  });
  const koncernen = matrix.columns.find((c) => c.id === (scope === "group" ? "koncernen" : parent))!;
  return {
    schema: "consolidate/explain@1",
    year: matrix.year,
    statement,
    scope,
    row: { id: spec.id, label: spec.label, kind: spec.kind },
    figure: toOre(figure),
    entities: entities.filter((e) => e.total !== 0n || e.accounts.length > 0),
    eliminated: [],
    addsUp: figure.eq(value(koncernen.closing)),
  };
}

const STEP_COLUMN: Record<string, string> = {
  adjustment: "adjustments",
  reserves: "reserves",
  capital: "capital",
  internal: "internal",
  dividend: "internal",
  minority: "minority",
};
const columnOf = (step: string) => STEP_COLUMN[step] ?? step;
