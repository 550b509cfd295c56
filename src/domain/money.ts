import { Decimal } from "decimal.js";

/** Amounts are integer öre (1/100 SEK) held in a bigint: exact, and fast to add. */
export type Ore = bigint;

export type Unit = "kr" | "tkr" | "mnkr";

const UNIT_DIVISOR: Record<Unit, number> = { kr: 100, tkr: 100_000, mnkr: 100_000_000 };

/** "1234.5" | "-0.07" → öre. Null when the text is not a plain decimal with at most two decimals. */
export function parsePlainAmount(text: string): Ore | null {
  const m = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const ore = BigInt(m[2]!) * 100n + BigInt(((m[3] ?? "") + "00").slice(0, 2));
  return m[1] === "-" ? -ore : ore;
}

/** öre → kronor as a decimal string with two decimals: 123456n → "1234.56". */
export function formatKronor(ore: Ore): string {
  const sign = ore < 0n ? "-" : "";
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** Rounds an amount to whole units of `unit`, half away from zero; each figure on its own. */
export function roundToUnit(ore: Ore, unit: Unit): Decimal {
  return new Decimal(ore.toString()).dividedBy(UNIT_DIVISOR[unit]).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
}
