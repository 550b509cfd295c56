import { describe, expect, it } from "vitest";
import { consolidateYear, runReport } from "../src/cli/pipeline.js";
import { parsePlainAmount } from "../src/domain/money.js";
import { loadLayout, loadWorkspace } from "../src/model/workspace.js";
import { explain, explainAll } from "../src/report/explain.js";
import { runCli, SJUHARAD } from "./helpers.js";

/** Issue 16: every figure of the example explained, down to accounts and vouchers, adding up. */
describe("explain, for every figure of the Sjuhärad 2013 report", () => {
  it("every row of every statement (group and each entity) and every note: the figure printed, adding up", async () => {
    const ws = (await loadWorkspace(SJUHARAD)).value!;
    const layout = (await loadLayout(ws, 2013)).value!.spec;
    const { data } = await consolidateYear(ws, 2013);
    const report = (await runReport(SJUHARAD, 2013)).report!;
    const declared = new Map(
      Object.entries(ws.definition.years["2013"]?.adjustments ?? {}).map(([id, v]) => [id, parsePlainAmount(v) ?? 0n]),
    );
    const input = {
      layout,
      data,
      chart: ws.chart,
      entities: ws.entities,
      printed: () => undefined,
      declared,
      counterpartyNames: new Map([...ws.members.map((m) => [m.code, m.name] as const)]),
    };
    let explained = 0;
    for (const s of report.statements)
      for (const row of s.rows) {
        // Deficits carried from earlier years need the history: the report's own tests hold them.
        if (layout.statements.find((x) => x.id === s.id)?.rows.find((r) => r.id === row.id)?.carry) continue;
        const e = explain(input, s.id, row.id, s.scope);
        expect("problem" in e ? e.problem : e.figure, `${s.id} ${s.scope} ${row.id}`).toBe(row.values[0]);
        expect("problem" in e ? false : e.addsUp, `${s.id} ${s.scope} ${row.id}`).toBe(true);
        explained++;
      }
    for (const n of report.notes)
      for (const row of n.rows) {
        const e = explain(input, `note:${n.id}`, row.id, "group");
        expect("problem" in e ? e.problem : e.figure, `note ${n.number} ${row.id}`).toBe(row.values[0]);
        expect("problem" in e ? false : e.addsUp).toBe(true);
        explained++;
      }
    expect(explained).toBeGreaterThan(150);
  });

  it("every figure at once (explainAll) as one at a time, each entity's accounts under it in the order of the entities", async () => {
    const ws = (await loadWorkspace(SJUHARAD)).value!;
    const layout = (await loadLayout(ws, 2013)).value!.spec;
    const { data } = await consolidateYear(ws, 2013);
    const report = (await runReport(SJUHARAD, 2013)).report!;
    const input = { layout, data, chart: ws.chart, entities: ws.entities, printed: () => undefined };
    const carried = (id: string, row: string) =>
      layout.statements.find((x) => x.id === id)?.rows.find((r) => r.id === row)?.carry !== undefined;
    const statements = report.statements.map((s) => ({ ...s, rows: s.rows.filter((r) => !carried(s.id, r.id)) }));
    const all = explainAll(input, statements);
    const one = statements.flatMap((s) =>
      s.rows.flatMap((row) => {
        const e = explain(input, s.id, row.id, s.scope);
        return "problem" in e || e.declared ? [] : [e];
      }),
    );
    expect(all).toEqual(one);
    expect(new Set(all.map((e) => e.scope)).size).toBe(ws.entities.length + 1);
    for (const e of all) {
      const ids = (e.entities ?? []).map((x) => x.entity);
      expect(ids).toEqual([...ids].sort());
      for (const x of e.entities ?? []) {
        expect(x.accounts.every((c) => c.entity === x.entity)).toBe(true);
        expect(x.total).toBe(x.accounts.reduce((t, c) => t + c.value, 0n));
      }
    }
  });

  it("--vouchers: the voucher lines less the internal items eliminated are the printed figure, to the öre", async () => {
    const r = await runCli([
      "explain",
      "2013",
      "income/verksamhetens-intakter",
      "--dir",
      SJUHARAD,
      "--vouchers",
      "--format",
      "json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as {
      figure: string;
      addsUp: boolean;
      vouchers: { value: string; file: string; line: number }[];
      eliminated: { value: string }[];
    };
    const ore = (s: string) => BigInt(s.replace(".", ""));
    const total = [...e.vouchers, ...e.eliminated].reduce((t, v) => t + ore(v.value), 0n);
    expect(total).toBe(ore(e.figure));
    expect(e.figure).toBe("29715800.00");
    expect(e.addsUp).toBe(true);
    expect(e.vouchers.length).toBeGreaterThan(50);
    for (const v of e.vouchers) expect(`${v.file}:${v.line}`).toMatch(/ledgers\/2013\/\w+\.csv:\d+$/);
  });

  it("a figure by the start of its label, and an entity's own; a row that is not there is a usage error naming the rows", async () => {
    const label = await runCli(["explain", "2013", "balance/Kassa", "--dir", SJUHARAD]);
    expect(label.code).toBe(0);
    expect(label.stdout).toContain("Summan stämmer");
    const entity = await runCli(["explain", "2013", "income/arets-resultat", "--dir", SJUHARAD, "--entity", "navet"]);
    expect(entity.code).toBe(0);
    const wrong = await runCli(["explain", "2013", "income/intakter", "--dir", SJUHARAD]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("no row 'intakter' in income");
  });
});

describe("the HTML export links each figure to its explanation", () => {
  it("every figure of the report year's statements is a link to an appendix entry that exists, adding up", async () => {
    const r = await runCli(["2013", "--dir", SJUHARAD, "--format", "html"]);
    expect(r.code).toBe(0);
    const links = [...r.stdout.matchAll(/href="#(f-[^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(100);
    for (const id of new Set(links)) expect(r.stdout, id).toContain(`id="${id}"`);
    expect(r.stdout).toContain("Bilaga: varifrån siffrorna kommer");
    expect(r.stdout).not.toContain("STÄMMER INTE");
    // The group's Verksamhetens intäkter, 29 716 tkr, links to its accounts.
    expect(r.stdout).toMatch(/<a href="#f-income-group-verksamhetens-intakter">29.716<\/a>/);
  });
});
