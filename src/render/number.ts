import { Decimal } from "decimal.js";
import type { Ore, Unit } from "../domain/money.js";

/** Öre per unit. */
const ORE_PER_UNIT: Record<Unit, number> = { kr: 100, tkr: 100_000, mnkr: 100_000_000 };

/** Decimals shown in each unit: Swedish reports give mnkr with one ("29,7"), kr and tkr with none. */
export const UNIT_DECIMALS: Record<Unit, number> = { kr: 0, tkr: 0, mnkr: 1 };

/** An amount in the unit, rounded to the unit's decimals, half away from zero; each figure on its own. */
export function inUnit(ore: Ore, unit: Unit): Decimal {
  return new Decimal(ore.toString())
    .dividedBy(ORE_PER_UNIT[unit])
    .toDecimalPlaces(UNIT_DECIMALS[unit], Decimal.ROUND_HALF_UP);
}

/** Swedish presentation: space as thousands separator, decimal comma, a real minus sign, rounded in the unit. */
export function formatAmount(ore: Ore, unit: Unit): string {
  const rounded = inUnit(ore, unit);
  const [whole, fraction] = rounded.abs().toFixed(UNIT_DECIMALS[unit]).split(".");
  const digits = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0")}${fraction ? `,${fraction}` : ""}`;
  return rounded.isNegative() && !rounded.isZero() ? `\u2212${digits}` : digits;
}

/** Exact kronor in Swedish form, for reconciliations: "−1 234,50". */
export function formatExact(ore: Ore): string {
  const abs = ore < 0n ? -ore : ore;
  const kronor = String(abs / 100n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return `${ore < 0n ? "\u2212" : ""}${kronor},${String(abs % 100n).padStart(2, "0")}`;
}

/**
 * The figure in the unit as a plain number for machines, never "-0": "-1235", "29.7" in mnkr; with
 * `decimal` "," the same figure for a spreadsheet that reads a decimal comma ("29,7").
 */
export function plainAmount(ore: Ore, unit: Unit, decimal: "." | "," = "."): string {
  const rounded = inUnit(ore, unit);
  const text = (rounded.isZero() ? new Decimal(0) : rounded).toFixed(UNIT_DECIMALS[unit]);
  return decimal === "." ? text : text.replace(".", decimal);
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
