import type { Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import { formatAmount } from "./number.js";

/** The layout's footnote on internal items, with the report's figures filled in. */
export function internalFootnote(report: Report, unit: Unit): string | undefined {
  const template = report.internal.footnote;
  if (!template) return undefined;
  return template.replace(
    /\{(amount|year)(\d)\}|\{unit\}/g,
    (whole, what: string | undefined, i: string | undefined) => {
      if (!what) return unit;
      const index = Number(i);
      if (what === "year") return String(report.years[index] ?? "");
      const v = report.internal.eliminated[index];
      return v === undefined ? "" : formatAmount(v, unit).replace(/\u00a0/g, "");
    },
  );
}

/** Closing equity per entity as table rows, with their sum. */
export function equityRows(equity: NonNullable<Report["equityByEntity"]>, years: number): RowReport[] {
  const rows: RowReport[] = equity.entities.map((e) => ({
    id: e.entity,
    label: e.name,
    kind: "line",
    values: e.values,
  }));
  const total = Array.from({ length: years }, (_, y) => equity.entities.reduce((t, e) => t + (e.values[y] ?? 0n), 0n));
  return [...rows, { id: "summa", label: "Summa", kind: "total", values: total }];
}
