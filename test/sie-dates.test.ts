import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sieDate } from "../src/model/sie/scope.js";

/** The rule, written plainly: YYYYMMDD or YYYY-MM-DD naming a day of the calendar. */
function reference(raw: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw);
  if (!m || (raw.length === 10) !== raw.includes("-")) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Set in one call: Date.UTC reads years 0–99 as 1900–1999, whose February may lack the 29th.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

describe("SIE dates", () => {
  it("are read as the calendar has them, in both forms", () => {
    const digit = fc.constantFrom(..."0123456789-".split(""), "0", "1", "2");
    const plausible = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.boolean(),
      )
      .map(([y, m, d, dashed]) =>
        [String(y).padStart(4, "0"), String(m).padStart(2, "0"), String(d).padStart(2, "0")].join(dashed ? "-" : ""),
      );
    fc.assert(
      fc.property(fc.oneof(plausible, fc.string({ unit: digit, minLength: 6, maxLength: 11 })), (raw) => {
        const d = sieDate(raw);
        expect("iso" in d ? d.iso : undefined).toBe(reference(raw));
      }),
      { numRuns: 5000 },
    );
  });
});
