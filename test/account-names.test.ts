import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountName, accountNameIn } from "../src/domain/account-names.js";
import { LastFound } from "../src/model/ledger-file.js";

describe("account names", () => {
  it("gives one object per account, whether found by its text or by its digits within a line", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,13}$/),
        fc.string({ maxLength: 5 }),
        fc.string({ maxLength: 5 }),
        (digits, before, after) => {
          const line = `${before};${digits};${after}`;
          const from = before.length + 1;
          const found = accountNameIn(line, from, from + digits.length);
          expect(found).toBe(accountName(digits));
          expect(found!.text).toBe(digits);
          expect(accountName(digits).id).toBe(found!.id);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps leading zeros apart and reads only runs of 1 to 13 digits", () => {
    expect(accountNameIn("0193", 0, 4)).not.toBe(accountNameIn("193", 0, 3));
    expect(accountNameIn("0193", 0, 4)!.text).toBe("0193");
    expect(accountNameIn("01930", 0, 5)!.text).toBe("01930");
    expect(accountNameIn("19x0", 0, 4)).toBeUndefined();
    expect(accountNameIn("-193", 0, 4)).toBeUndefined();
    expect(accountNameIn("", 0, 0)).toBeUndefined();
    expect(accountNameIn("12345678901234", 0, 14)).toBeUndefined();
    expect(accountNameIn("1234567890123", 0, 13)!.text).toBe("1234567890123");
  });

  it("numbers accounts apart, and says whether a chart has one as the chart says", () => {
    const a = accountName("4010");
    const b = accountName("40100");
    expect(a.id).not.toBe(b.id);
    const one = new Map([["4010", 1]]);
    const other = new Map([["40100", 1]]);
    for (const chart of [one, other, one, other]) {
      expect(a.inChart(chart)).toBe(chart.has("4010"));
      expect(b.inChart(chart)).toBe(chart.has("40100"));
    }
  });
});

describe("the rules' set of entities", () => {
  it("answers as a set, whatever it found last, also after a name is taken out", () => {
    const names = new LastFound(["e1", "e2"]);
    expect(names.has("e1")).toBe(true);
    expect(names.has("e1")).toBe(true);
    expect(names.has("e3")).toBe(false);
    expect(names.has("e1")).toBe(true);
    names.delete("e1");
    expect(names.has("e1")).toBe(false);
    expect(names.has("e2")).toBe(true);
    names.clear();
    expect(names.has("e2")).toBe(false);
    expect([...new LastFound(["a", "b"])]).toEqual(["a", "b"]);
  });
});
