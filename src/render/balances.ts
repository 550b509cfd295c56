import type { BalancesReport } from "../report/balances.js";
import type { Section } from "./common.js";

/** A saldobalans as tables: per scope, an account a row, with the lines it lands on, and the sums. */
export function balanceSections(report: BalancesReport): Section[] {
  const year = report.year;
  const columns = ["Ingående balans", "Debet", "Kredit", "Utgående balans"].map((header) => ({ header, year }));
  const when = report.period ? report.period.label : String(year);
  return report.scopes.map((s) => {
    const rows = s.rows.map((r) => ({
      id: r.account,
      label: `${r.account} ${r.name}${r.lines.length ? ` → ${r.lines.map((l) => l.label).join(" / ")}` : ""}`,
      kind: "line" as const,
      values: [r.opening, r.debit, r.credit, r.closing],
    }));
    const t = s.totals;
    return {
      statement: "balances",
      scope: s.scope,
      heading: s.scope === "group" ? report.group.name : `${report.group.name}, ${s.name}`,
      title: `Saldobalans ${when}${s.scope === "group" ? ", efter eliminering av interna poster" : ""}`,
      columns,
      withNotes: false,
      rows: [
        ...rows,
        {
          id: "summa",
          label: "Summa",
          kind: "total" as const,
          values: [t.opening, t.debit, t.credit, t.closing],
          sum: rows.map((r) => r.id),
        },
      ],
    };
  });
}
