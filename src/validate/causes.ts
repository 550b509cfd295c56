import type { Diagnostic } from "../domain/types.js";

/**
 * The stage a problem belongs to, so that causes come before their consequences: the inputs
 * (files, syntax, amounts, accounts), then the bookkeeping (balances, continuity, internal items,
 * a SIE file's agreement with itself),
 * then what is made from them (layout coverage, the analyses' checks, fees, budgets).
 */
function stageOf(code: string): number {
  if (/^[EW]-(LAYOUT|STATEMENT|FEE|FEES|BUDGET|KONCERN-MATRIX|KONCERN-BRIDGE)/.test(code)) return 2;
  // A SIE file's own sums (#UB, #RES, last year's #UB) disagree when a line of it was refused too.
  if (
    /^[EW]-(BALANCE|OPENING|INTERNAL|RESULT|CLOSING|VOUCHER-UNBALANCED|SIE-(UB|RES|BALANCE|CONTINUITY)|KONCERN-(CONTINUITY|RESERVES|INVESTMENT|TAX-RATE|RATE-CHANGED|MATERIAL))/.test(
      code,
    )
  )
    return 1;
  return 0;
}

/** Checks of computed figures: they cannot hold while a line of the ledgers is refused. */
const FIGURE_CHECK = /^E-(STATEMENT-EQUAL|FEE-DIFFERENCE|KONCERN-MATRIX|KONCERN-BRIDGE)$/;

/**
 * Diagnostics in a stable order, root causes first: by stage, then file, line and column. A
 * failed check of computed figures that follows an error of an earlier stage is marked a
 * consequence: a statement cannot add up, nor a fee match, while a line of the ledgers is refused.
 */
export function byCause(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [
    String(stageOf(d.code)),
    d.file ?? "",
    String(d.line ?? 0).padStart(9, "0"),
    String(d.column ?? 0).padStart(6, "0"),
    d.code,
  ];
  const sorted = [...diagnostics].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
  const earlier = sorted.some((d) => d.severity === "error" && stageOf(d.code) < 2);
  return earlier ? sorted.map((d) => (FIGURE_CHECK.test(d.code) ? { ...d, consequence: true } : d)) : sorted;
}
