import { Decimal as BaseDecimal } from "decimal.js";
import { formatSek, type Ore } from "../domain/money.js";

/**
 * Group amounts: shares and tax rates applied without rounding (0.6 × 12 345.67 = 7 407.402). The
 * precision holds any product of a ledger amount, a share and a rate exactly.
 */
export const Dec = BaseDecimal.clone({ precision: 80, rounding: BaseDecimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

export const fromOre = (ore: Ore): Dec => new Dec(ore.toString()).dividedBy(100);

/** Rounded to öre, half away from zero: a figure as the statements present it. */
export const toOre = (d: Dec): Ore => BigInt(d.times(100).toDecimalPlaces(0, BaseDecimal.ROUND_HALF_UP).toFixed(0));

/** Exact kronor as a decimal string with at least two decimals: "7407.402", "-15000000.00". */
export function exact(d: Dec): string {
  const places = Math.max(2, d.decimalPlaces());
  return d.toFixed(places);
}

/** An amount in a message as a Swedish reader writes it, to the öre: "15 000 000,00" (exact ones rounded). */
export const sek = (d: Dec): string => formatSek(toOre(d));

/** A share or rate as people write it: "0.6", "1". */
export const plain = (d: Dec): string => d.toFixed();

/** "60 %", "20,6 %". */
export const percent = (d: Dec): string => `${d.times(100).toFixed()} %`.replace(".", ",");

/** Group lines → amounts, debit positive. */
export type Lines = Map<string, Dec>;

export function addTo(target: Lines, line: string, amount: Dec): void {
  if (amount.isZero()) return;
  target.set(line, (target.get(line) ?? ZERO).plus(amount));
}

export function sumOf(lines: Lines, only?: readonly string[]): Dec {
  let s = ZERO;
  for (const [line, v] of lines) if (!only || only.includes(line)) s = s.plus(v);
  return s;
}

export function scaled(lines: Lines, factor: Dec): Lines {
  return new Map([...lines].map(([l, v]) => [l, v.times(factor)]));
}

export function merged(...all: Lines[]): Lines {
  const out: Lines = new Map();
  for (const lines of all) for (const [l, v] of lines) addTo(out, l, v);
  return out;
}

/**
 * Amounts rounded to öre so that they still add up to their rounded sum: each rounded on its own,
 * then the öre the rounding lost or gained put back on the amounts it moved most (largest
 * remainder). For a table that must balance, a saldobalans; statements round each figure alone.
 */
export function roundedToSum(values: readonly Dec[]): Ore[] {
  const rounded = values.map(toOre);
  let gap = toOre(values.reduce((t, v) => t.plus(v), ZERO)) - rounded.reduce((t, v) => t + v, 0n);
  const byRemainder = values
    .map((v, i) => ({ i, remainder: v.times(100).minus(rounded[i]!.toString()) }))
    .sort((a, b) => (gap > 0n ? b.remainder.comparedTo(a.remainder) : a.remainder.comparedTo(b.remainder)));
  for (const { i } of byRemainder) {
    if (gap === 0n) break;
    const step = gap > 0n ? 1n : -1n;
    rounded[i]! += step;
    gap -= step;
  }
  return rounded;
}
