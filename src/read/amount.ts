import type { Ore } from "../domain/money.js";

export interface NumberFormat {
  readonly decimal: "." | ",";
  readonly thousands: "" | " " | ".";
}

export const DEFAULT_NUMBER_FORMAT: NumberFormat = { decimal: ".", thousands: "" };

export type AmountResult = { ore: Ore } | { problem: string; hint: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Reads an amount written in the workspace's declared number format, exactly. Refuses what the
 * format does not allow rather than guessing: "1.234,5" under a decimal point is an error, not 1.2345.
 */
export function parseAmount(text: string, format: NumberFormat): AmountResult {
  const s = text.trim().replace(/^\u2212/, "-");
  const thousands = format.thousands === " " ? "[ \u00a0\u202f]" : escape(format.thousands);
  const intPart = format.thousands ? `(?:\\d{1,3}(?:${thousands}\\d{3})+|\\d+)` : "\\d+";
  const re = new RegExp(`^([+-]?)(${intPart})(?:${escape(format.decimal)}(\\d{1,2}))?$`);
  const m = re.exec(s);
  if (m) {
    const digits = m[2]!.replace(/\D/g, "");
    const ore = BigInt(digits) * 100n + BigInt(((m[3] ?? "") + "00").slice(0, 2));
    return { ore: m[1] === "-" ? -ore : ore };
  }
  const declared = `decimal '${format.decimal}'${format.thousands ? `, thousands '${format.thousands === " " ? "space" : format.thousands}'` : ", no thousands separator"}`;
  if (s === "") return { problem: "empty amount", hint: "Every posting needs an amount; write 0 for none." };
  if (new RegExp(`^[+-]?\\d+${escape(format.decimal)}\\d{3,}$`).test(s)) {
    return {
      problem: `'${text}' has more than two decimals`,
      hint: "Amounts are kronor with at most two decimals (öre).",
    };
  }
  if (/^[+-]?[\d .,\u00a0]+$/.test(s)) {
    return {
      problem: `'${text}' is not an amount in the declared number format (${declared})`,
      hint: "Write the amount in the declared format, or declare the format the file uses in consolidate.json under numberFormat.",
    };
  }
  return {
    problem: `'${text}' is not a number`,
    hint: "The amount column holds kronor, debit positive, credit negative.",
  };
}
