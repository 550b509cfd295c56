import type { Unit } from "../domain/money.js";
import type { Report } from "../report/build.js";
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
