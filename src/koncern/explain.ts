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

/** How much of a line's closing and of its opening balance a row takes (a movement takes both). */
interface Weight {
  readonly closing: number;
  readonly opening: number;
}

/** The group lines a row adds, with their sign as presented; a sum row through the rows it adds. */
function linesOfRow(rows: readonly RowSpec[], id: string, sign: 1 | -1): Map<string, Weight> {
  const spec = rows.find((r) => r.id === id);
  const out = new Map<string, Weight>();
  const add = (line: string, w: Weight) => {
    const known = out.get(line) ?? { closing: 0, opening: 0 };
    out.set(line, { closing: known.closing + w.closing, opening: known.opening + w.opening });
  };
  if (!spec) return out;
  if (spec.sum) {
    for (const part of spec.sum) for (const [line, w] of linesOfRow(rows, part, sign)) add(line, w);
    return out;
  }
  for (const sel of spec.select ?? []) {
    const k = (spec.sign ?? sign) * (sel.sign ?? 1);
    const m = sel.measure ?? "closing";
    const w =
      m === "opening"
        ? { closing: 0, opening: k }
        : m === "movement"
          ? { closing: k, opening: -k }
          : { closing: k, opening: 0 };
    for (const line of sel.lines ?? []) add(line, w);
  }
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
  const weights = linesOfRow(table.rows, spec.id, table.sign ?? 1);
  const parent = def.parent;
  const columns = matrix.columns.filter((c) => c.id !== "koncernen" && (scope === "group" || c.id === parent));
  const value = (closing: Map<string, Dec>, opening: Map<string, Dec>) =>
    [...weights].reduce(
      (t, [line, w]) =>
        t.plus((closing.get(line) ?? ZERO).times(w.closing)).plus((opening.get(line) ?? ZERO).times(w.opening)),
      ZERO,
    );
  const figure = columns.reduce((t, c) => t.plus(value(c.closing, c.opening)), ZERO);
  const names = new Map(def.entities.map((e) => [e.id, e.name]));
  const entities = columns.map((c) => {
    const share = matrix.shares.get(c.id);
    const own = share
      ? (rows.get(c.id) ?? [])
          .filter((r) => weights.has(r.line))
          .map((r) => {
            const w = weights.get(r.line)!;
            return {
              entity: c.id,
              account: r.account,
              name: accountName(c.id, r.account) ?? lineOf(r.line)!.label,
              counterparty: r.counterparty,
              value: toOre(r.closing.times(w.closing).plus(r.opening.times(w.opening)).times(share)),
            };
          })
          .filter((x) => x.value !== 0n)
      : matrix.journal
          .filter((j) => columnOf(j.step) === c.id)
          .map((j) => ({
            entity: c.id,
            account: j.id,
            name: j.text,
            counterparty: "",
            value: toOre(value(j.lines, j.opening)),
          }))
          .filter((x) => x.value !== 0n);
    return {
      entity: c.id,
      name: c.label ?? names.get(c.id) ?? c.id,
      total: toOre(value(c.closing, c.opening)),
      accounts: own,
    };
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
    addsUp: figure.eq(value(koncernen.closing, koncernen.opening)),
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
