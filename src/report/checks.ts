import { formatSek } from "../domain/money.js";
import type { Diagnostic } from "../domain/types.js";
import type { Report, YearData } from "./build.js";
import type { LayoutSource } from "./coverage.js";
import { compileSelection } from "./engine.js";
import { rowsOfEntity } from "../domain/row-table.js";

/**
 * A row a statement declares equal to a selection of the balances (likvida medel vid årets slut
 * and the cash accounts' closing balance) differs from it: a line of the analysis misses a
 * balance account, or selects one twice.
 */
export function equalityProblems(report: Report, layout: LayoutSource, years: readonly YearData[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  layout.spec.statements.forEach((spec, si) => {
    (spec.equal ?? []).forEach((check, ci) => {
      const selections = check.to.map((sel) => compileSelection(sel, spec.sign ?? 1));
      for (const s of report.statements.filter((st) => st.id === spec.id)) {
        const row = s.rows.find((r) => r.id === check.row);
        if (!row) continue;
        const entity = s.scope.startsWith("entity:") ? s.scope.slice(7) : undefined;
        years.forEach((y, i) => {
          const rows = entity ? rowsOfEntity(y.entityRows, entity) : y.elimination.groupRows;
          let expected = 0n;
          for (let r = 0; r < rows.length; r++) for (const sel of selections) expected += sel.at(rows, r) ?? 0n;
          const actual = row.values[i] ?? 0n;
          if (actual === expected) return;
          out.push({
            code: "E-STATEMENT-EQUAL",
            severity: "error",
            message: `${y.year}: ${spec.title}${s.entityName ? `, ${s.entityName}` : ""}: '${row.label}' is ${formatSek(actual)} kr, but the balances it must equal are ${formatSek(expected)} kr (difference ${formatSek(actual - expected)} kr)`,
            file: layout.file,
            ...layout.locate(`/statements/${si}/equal/${ci}`),
            hint: "A line of the statement misses a balance account or selects one twice: every balance account but the cash accounts belongs to exactly one line.",
          });
        });
      }
    });
  });
  return out;
}
