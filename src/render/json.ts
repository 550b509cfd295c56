import { formatKronor } from "../domain/money.js";

/** The report as JSON per the contract: every amount exact kronor as a two-decimal string. */
export function renderJson(report: object): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === "bigint" ? formatKronor(value) : value), 2)}\n`;
}
