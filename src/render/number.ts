import { roundToUnit, type Ore, type Unit } from "../domain/money.js";

/** Swedish presentation: space as thousands separator, a real minus sign, rounded to the unit. */
export function formatAmount(ore: Ore, unit: Unit): string {
  const rounded = roundToUnit(ore, unit);
  const digits = rounded
    .abs()
    .toFixed(0)
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return rounded.isNegative() && !rounded.isZero() ? `\u2212${digits}` : digits;
}

/** Exact kronor in Swedish form, for reconciliations: "−1 234,50". */
export function formatExact(ore: Ore): string {
  const abs = ore < 0n ? -ore : ore;
  const kronor = String(abs / 100n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return `${ore < 0n ? "\u2212" : ""}${kronor},${String(abs % 100n).padStart(2, "0")}`;
}

/** The figure in the unit as a plain number for machines: "-1235", never "-0". */
export function plainAmount(ore: Ore, unit: Unit): string {
  const rounded = roundToUnit(ore, unit);
  return rounded.isZero() ? "0" : rounded.toFixed(0);
}

/** A percentage held in hundredths of a percent, with one decimal in Swedish form: 1751n → "17,5". */
export function formatPercent(hundredths: Ore): string {
  const tenths = (hundredths * 2n + (hundredths < 0n ? -10n : 10n)) / 20n;
  const abs = tenths < 0n ? -tenths : tenths;
  return `${tenths < 0n ? "\u2212" : ""}${abs / 10n},${abs % 10n}`;
}

/** A table figure as printed: an amount in the unit, or a percentage. */
export const formatFigure = (value: Ore, kind: string, unit: Unit) =>
  kind === "percent" ? formatPercent(value) : formatAmount(value, unit);
