import { parseDigits, type Ore } from "../domain/money.js";

export interface NumberFormat {
  readonly decimal: "." | ",";
  readonly thousands: "" | " " | ".";
}

export const DEFAULT_NUMBER_FORMAT: NumberFormat = { decimal: ".", thousands: "" };

/** Why an amount was refused; each reason is its own diagnostic code. */
export type AmountProblem = "E-AMOUNT-INVALID" | "E-AMOUNT-AMBIGUOUS" | "E-AMOUNT-PRECISION" | "E-AMOUNT-THOUSANDS";

export type AmountResult = { ore: Ore } | { code: AmountProblem; problem: string; hint: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const patterns = new Map<string, RegExp>();

/** The formats a Swedish file may write amounts in, to name the one a refused amount fits. */
const ALTERNATIVE_FORMATS: readonly NumberFormat[] = [
  { decimal: ",", thousands: "" },
  { decimal: ",", thousands: " " },
  { decimal: ",", thousands: "." },
  { decimal: ".", thousands: "" },
];

/** The declared format as one regular expression, compiled once per format. */
function amountPattern(format: NumberFormat): RegExp {
  const key = format.decimal + format.thousands;
  let re = patterns.get(key);
  if (!re) {
    const thousands = format.thousands === " " ? "[ \u00a0\u202f]" : escape(format.thousands);
    const intPart = format.thousands ? `(?:\\d{1,3}(?:${thousands}\\d{3})+|\\d+)` : "\\d+";
    re = new RegExp(`^([+-]?)(${intPart})(?:${escape(format.decimal)}(\\d{1,2}))?$`);
    patterns.set(key, re);
  }
  return re;
}

const describe = (format: NumberFormat) =>
  `decimal '${format.decimal}'${format.thousands ? `, thousands '${format.thousands === " " ? "space" : format.thousands}'` : ", no thousands separator"}`;

/**
 * Reads an amount written in the workspace's declared number format, exactly. Refuses what the
 * format does not allow rather than guessing: "1.234,5" under a decimal point is an error, not
 * 1.2345, and "1.234" (one krona and 234 thousandths, or 1 234 kronor?) is ambiguous.
 */
export function parseAmount(text: string, format: NumberFormat): AmountResult {
  const plain = format.thousands === "" ? parseDigits(text, format.decimal.charCodeAt(0)) : null;
  if (plain !== null) return { ore: plain };
  const s = text.trim().replace(/^\u2212/, "-");
  const m = amountPattern(format).exec(s);
  if (m) {
    const digits = m[2]!.replace(/\D/g, "");
    const ore = BigInt(digits) * 100n + BigInt(((m[3] ?? "") + "00").slice(0, 2));
    return { ore: m[1] === "-" ? -ore : ore };
  }
  const dec = escape(format.decimal);
  const fits = ALTERNATIVE_FORMATS.find(
    (f) => f !== format && amountPattern(f).test(s) && f.decimal !== format.decimal,
  );
  const hintFormat = fits
    ? `Amounts in this workspace are written with ${describe(format)}, but this file seems to write ${describe(fits)}: declare it on the file's entry in consolidate.json: "numberFormat": { "decimal": "${fits.decimal}", "thousands": "${fits.thousands}" }`
    : `Amounts in this workspace are written with ${describe(format)}; if the file uses another format, declare it in consolidate.json under numberFormat.`;
  if (s === "")
    return {
      code: "E-AMOUNT-INVALID",
      problem: "empty amount",
      hint: "Every posting needs an amount; write 0 for none.",
    };
  if (!/^[+-]?[\d .,\u00a0\u202f]+$/.test(s) || !/\d/.test(s)) {
    return {
      code: "E-AMOUNT-INVALID",
      problem: `'${text}' is not a number`,
      hint: "The amount holds kronor, debit positive, credit negative.",
    };
  }
  const separators = new Set(s.replace(/[\d+-]/g, "").replace(/[\u00a0\u202f]/g, " "));
  const other = format.decimal === "." ? "," : ".";
  // Both '.' and ',' in one amount, or only the other decimal sign: which one is the decimal?
  if ((separators.has(".") && separators.has(",")) || (separators.has(other) && other !== format.thousands)) {
    return {
      code: "E-AMOUNT-AMBIGUOUS",
      problem: `'${text}' does not use the declared ${describe(format)}: its value is ambiguous`,
      hint: hintFormat,
    };
  }
  if (new RegExp(`^[+-]?\\d+${dec}\\d{3}$`).test(s) && format.thousands === "") {
    return {
      code: "E-AMOUNT-AMBIGUOUS",
      problem: `'${text}' has three digits after the decimal sign: is it ${s.replace(format.decimal, format.decimal === "." ? "," : ".")} or ${s.replace(format.decimal, " ")} kronor?`,
      hint: hintFormat,
    };
  }
  if (new RegExp(`${dec}\\d{3,}$`).test(s)) {
    return {
      code: "E-AMOUNT-PRECISION",
      problem: `'${text}' has more than two decimals`,
      hint: "Amounts are kronor with at most two decimals (öre); round in the source system.",
    };
  }
  if (separators.has(" ") && format.thousands !== " ") {
    return {
      code: "E-AMOUNT-THOUSANDS",
      problem: `'${text}' has a thousands separator, and the workspace declares none`,
      hint: hintFormat,
    };
  }
  return {
    code: "E-AMOUNT-INVALID",
    problem: `'${text}' is not an amount in the declared number format (${describe(format)})`,
    hint: hintFormat,
  };
}
