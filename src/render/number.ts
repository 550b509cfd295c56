import { Decimal } from "decimal.js";
import { groupThousands, kronorText, type Ore, type Unit } from "../domain/money.js";

/** Decimals shown in each unit: Swedish reports give mnkr with one ("29,7"), kr and tkr with none. */
export const UNIT_DECIMALS: Record<Unit, number> = { kr: 0, tkr: 0, mnkr: 1 };

/** The minus sign Swedish figures are printed with (U+2212), not the hyphen. */
export const MINUS = "\u2212";

/** Öre per last shown digit of each unit: whole kronor, whole tkr, tenths of a mnkr. */
const ORE_PER_DIGIT: Record<Unit, number> = { kr: 100, tkr: 100_000, mnkr: 10_000_000 };

/** The amount in the unit's last shown digits, rounded half away from zero: 1 234 567 öre in tkr → 12n. */
function shownDigits(ore: Ore, unit: Unit): bigint {
  const d = BigInt(ORE_PER_DIGIT[unit]);
  const abs = ore < 0n ? -ore : ore;
  const rounded = (2n * abs + d) / (2n * d);
  return ore < 0n ? -rounded : rounded;
}

/** An amount in the unit, rounded to the unit's decimals, half away from zero; each figure on its own. */
export function inUnit(ore: Ore, unit: Unit): Decimal {
  return new Decimal(shownDigits(ore, unit).toString()).dividedBy(10 ** UNIT_DECIMALS[unit]);
}

/** The unsigned digits of a rounded figure, with `separator` between thousands: "297" in mnkr → "29,7". */
function digitsOf(unsigned: string, unit: Unit, separator: string, decimal: string): string {
  const text = unsigned.padStart(UNIT_DECIMALS[unit] + 1, "0");
  const cut = text.length - UNIT_DECIMALS[unit];
  const whole = groupThousands(text.slice(0, cut), separator);
  return cut < text.length ? `${whole}${decimal}${text.slice(cut)}` : whole;
}

/**
 * The unsigned digits of the amount rounded in the unit (shownDigits), worked out in numbers where
 * every step is exact (up to 2^52 öre, far beyond any public body's accounts), in bigints above: a
 * report prints thousands of figures, mostly before V8 optimizes the code, and each bigint
 * operation makes a new bigint.
 */
function unsignedShown(ore: Ore, unit: Unit): string {
  const n = Number(ore);
  const abs = n < 0 ? -n : n;
  if (abs <= 2 ** 52) {
    const d = ORE_PER_DIGIT[unit];
    const halfUp = abs + d / 2;
    return String((halfUp - (halfUp % d)) / d);
  }
  const shown = shownDigits(ore, unit);
  return String(shown < 0n ? -shown : shown);
}

/** Swedish presentation: space as thousands separator, decimal comma, a real minus sign, rounded in the unit. */
export function formatAmount(ore: Ore, unit: Unit): string {
  const unsigned = unsignedShown(ore, unit);
  const digits = digitsOf(unsigned, unit, "\u00a0", ",");
  return ore < 0n && unsigned !== "0" ? `${MINUS}${digits}` : digits;
}

/** Exact kronor in Swedish form, for reconciliations: "−1 234,50". */
export const formatExact = (ore: Ore): string => kronorText(ore, MINUS, "\u00a0", ",");

/** How many characters formatExact makes of an amount, without making them: sign, kronor with their spaces, comma, öre. */
export function exactWidth(ore: Ore): number {
  // In numbers where they are exact: a reconciliation measures tens of thousands of amounts.
  const n = Math.abs(Number(ore));
  const kronor = Number.isSafeInteger(n) ? String((n - (n % 100)) / 100) : String((ore < 0n ? -ore : ore) / 100n);
  const digits = kronor.length;
  return (ore < 0n ? 1 : 0) + digits + Math.floor((digits - 1) / 3) + 3;
}

/**
 * The figure in the unit as a plain number for machines, never "-0": "-1235", "29.7" in mnkr; with
 * `decimal` "," the same figure for a spreadsheet that reads a decimal comma ("29,7").
 */
export function plainAmount(ore: Ore, unit: Unit, decimal: "." | "," = "."): string {
  const unsigned = unsignedShown(ore, unit);
  return `${ore < 0n && unsigned !== "0" ? "-" : ""}${digitsOf(unsigned, unit, "", decimal)}`;
}

/** A percentage held in hundredths of a percent, with one decimal in Swedish form: 1751n → "17,5". */
export function formatPercent(hundredths: Ore): string {
  const tenths = (hundredths * 2n + (hundredths < 0n ? -10n : 10n)) / 20n;
  const abs = tenths < 0n ? -tenths : tenths;
  return `${tenths < 0n ? MINUS : ""}${abs / 10n},${abs % 10n}`;
}

/** A table figure as printed: an amount in the unit, or a percentage. */
export const formatFigure = (value: Ore, kind: string, unit: Unit) =>
  kind === "percent" ? formatPercent(value) : formatAmount(value, unit);
