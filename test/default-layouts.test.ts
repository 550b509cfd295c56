import { describe, expect, it } from "vitest";
import { defaultLayout } from "../src/domain/default-layouts.js";
import { compileSelection } from "../src/report/engine.js";

/** Every account a BAS chart can hold, and sub-accounts of six digits, in one income or balance line. */
describe.each(["bas", "kommun-bas"] as const)("the built-in %s layout", (family) => {
  const layout = defaultLayout(family);
  const selectors = layout.statements
    .filter((s) => s.coverage !== false)
    .flatMap((s) =>
      s.rows
        // an of-which row shows part of a line again; lines and groups place the money
        .filter((row) => row.kind === "line" || row.kind === "group")
        .flatMap((row) =>
          (row.select ?? [])
            .filter((sel) => (sel.measure ?? "closing") === "closing")
            .map((sel) => ({ at: `${s.id}/${row.id}`, matches: compileSelection(sel, 1) })),
        ),
    );
  const linesOf = (account: string) => {
    const row = { entity: "e", account, counterparty: "", opening: 0n, debit: 100n, credit: 0n };
    return selectors.filter((s) => s.matches(row) !== undefined).map((s) => s.at);
  };

  it("places every account 0000–9999 on exactly one statement line", () => {
    const wrong: string[] = [];
    for (let n = 0; n < 10000; n++) {
      const account = String(n).padStart(4, "0");
      const lines = linesOf(account);
      if (lines.length !== 1) wrong.push(`${account}: ${lines.join(", ") || "none"}`);
    }
    expect(wrong).toEqual([]);
  });

  it("places six-digit sub-accounts where their first four digits go", () => {
    for (const [sub, account] of [
      ["143010", "1430"],
      ["145010", "1450"],
      ["301099", "3010"],
      ["999999", "9999"],
    ])
      expect(linesOf(sub!)).toEqual(linesOf(account!));
  });

  it("reconciles the cash flow by construction: every balance account but cash on one line", () => {
    const cashflow = layout.statements.find((s) => s.id === "cashflow")!;
    const movements = cashflow.rows.flatMap((row) =>
      (row.select ?? []).filter((sel) => sel.measure === "movement").map((sel) => compileSelection(sel, 1)),
    );
    const wrong: string[] = [];
    for (let n = 1000; n < 3000; n++) {
      const account = String(n);
      const row = { entity: "e", account, counterparty: "", opening: 0n, debit: 100n, credit: 0n };
      const count = movements.filter((m) => m(row) !== undefined).length;
      const cash = n >= 1900 && n < 2000;
      // depreciation is added back and taken off the investments: the accounts of fixed assets count once
      if (count !== (cash ? 0 : 1)) wrong.push(`${account}: ${count}`);
    }
    expect(wrong).toEqual([]);
  });
});
