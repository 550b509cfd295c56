import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/read/json.js";

// Keys and texts with what trips a hand-written scan: quotes, backslashes, colons, spaces.
const text = fc.string({
  unit: fc.constantFrom("a", "Ö", '"', "\\", ":", " ", "\n", "{", "}", ",", "1"),
  maxLength: 8,
});
const leaf = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean());

describe("JSON with positions", () => {
  it("reads any object and refuses exactly those that write a key twice", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(text, leaf), { selector: ([k]) => k, maxLength: 6 }),
        fc.option(fc.nat()),
        fc.constantFrom("", " ", "\n  ", "\t"),
        (entries, twice, space) => {
          const written = entries.map(([k, v]) => `${JSON.stringify(k)}${space}:${space}${JSON.stringify(v)}`);
          const again = twice !== null && entries.length > 0 ? written[twice % entries.length] : undefined;
          const body = `{${space}${[...written, ...(again ? [again] : [])].join(`,${space}`)}${space}}`;
          const { doc, diagnostics } = parseJson("f.json", `{"list": [${body}, ${JSON.stringify(body)}]}`);
          if (again) expect(diagnostics.map((d) => d.code)).toEqual(["E-JSON-DUPLICATE-KEY"]);
          else {
            expect(diagnostics).toEqual([]);
            const value = doc!.value as { list: [Record<string, unknown>, string] };
            expect({ ...value.list[0] }).toEqual(Object.fromEntries(entries));
            expect(value.list[1]).toBe(body);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
