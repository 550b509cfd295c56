import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closingOf } from "../src/domain/balance.js";
import { loadYear } from "../src/model/ledger.js";
import { loadWorkspace } from "../src/model/workspace.js";
import { yearWorkspace } from "./helpers.js";

const ACCOUNTS = ["1510", "1930", "2440", "3010", "5010"];
const ENTITIES = ["a", "b", "c"];

/** The slow, obvious computation: split each line on commas and add the amounts as BigInt öre. */
function reference(files: Record<string, string>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [entity, text] of Object.entries(files)) {
    for (const line of text.trim().split("\n").slice(1)) {
      const [, , , account, amount, counterparty] = line.split(",");
      const [int, frac = ""] = amount!.replace("-", "").split(".");
      const ore = (BigInt(int!) * 100n + BigInt((frac + "00").slice(0, 2))) * (amount!.startsWith("-") ? -1n : 1n);
      const key = `${entity}|${account}|${counterparty}`;
      out.set(key, (out.get(key) ?? 0n) + ore);
    }
  }
  return out;
}

const voucher = fc.record({
  entity: fc.constantFrom(...ENTITIES),
  lines: fc.array(
    fc.record({
      account: fc.constantFrom(...ACCOUNTS),
      ore: fc.bigInt({ min: -99_999_999_999n, max: 99_999_999_999n }),
      counterparty: fc.constantFrom("", "", "a", "b", "c"),
    }),
    { minLength: 1, maxLength: 5 },
  ),
});

const kr = (ore: bigint) => {
  const a = ore < 0n ? -ore : ore;
  return `${ore < 0n ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
};

describe("the streamed trial balance", () => {
  it("equals, to the öre, a slow straightforward computation on the same postings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(voucher, { maxLength: 60 }), async (vouchers) => {
        const files: Record<string, string> = Object.fromEntries(
          ENTITIES.map((e) => [e, "series,voucher,date,account,amount,counterparty,text\n"]),
        );
        const numbers: Record<string, number> = {};
        for (const v of vouchers) {
          const no = (numbers[v.entity] = (numbers[v.entity] ?? 0) + 1);
          const total = v.lines.reduce((t, l) => t + l.ore, 0n);
          const lines = [...v.lines, { account: "1930", ore: -total, counterparty: "" }];
          for (const l of lines)
            files[v.entity] +=
              `A,${no},2025-03-01,${l.account},${kr(l.ore)},${l.counterparty === v.entity ? "" : l.counterparty},x\n`;
        }
        const dir = yearWorkspace({
          entities: ENTITIES,
          ledgers: ENTITIES.map((e) => ({ path: `${e}.csv`, entity: e, text: files[e]! })),
        });
        const ws = (await loadWorkspace(dir)).value!;
        const { ledgers, diagnostics } = await loadYear(ws, 2025);
        expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const streamed = new Map(
          ledgers.rows
            .rows()
            .filter((r) => closingOf(r) !== 0n)
            .map((r) => [`${r.entity}|${r.account}|${r.counterparty}`, closingOf(r)]),
        );
        const slow = new Map([...reference(files)].filter(([, v]) => v !== 0n));
        expect(streamed).toEqual(slow);
      }),
      { numRuns: 40 },
    );
  });
});
