import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, SJUHARAD } from "./helpers.js";

describe("--format json", () => {
  it("validates against schemas/report.schema.json", async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "report.schema.json"), "utf8")) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    for (const year of ["2013", "2011", "2010"]) {
      const r = await runCli([year, "--dir", SJUHARAD, "--format", "json"]);
      expect(r.code).toBe(0);
      const report: unknown = JSON.parse(r.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("follows the DESIGN.md contract: exact kronor strings, years current first, inputs hashed", async () => {
    const r = await runCli(["2013", "--dir", SJUHARAD, "--format", "json"]);
    const report = JSON.parse(r.stdout) as {
      schema: string;
      years: number[];
      statements: {
        id: string;
        scope: string;
        rows: { id: string; label: string; kind: string; note?: number; values: string[] }[];
      }[];
      inputs: { path: string; sha256: string }[];
    };
    expect(report.schema).toBe("consolidate/report@1");
    expect(report.years).toEqual([2013, 2012]);
    const income = report.statements.find((s) => s.id === "income" && s.scope === "group")!;
    expect(income.rows[0]).toEqual({
      id: "verksamhetens-intakter",
      label: "Verksamhetens intäkter",
      kind: "line",
      note: 1,
      values: ["29715800.00", "39072000.00"],
    });
    expect(report.inputs.map((i) => i.path)).toContain("ledgers/2013/navet.csv");
  });

  it("has only the current year when the workspace lacks the prior one", async () => {
    const r = await runCli(["2010", "--dir", SJUHARAD, "--format", "json"]);
    expect((JSON.parse(r.stdout) as { years: number[] }).years).toEqual([2010]);
  });
});

describe("input order", () => {
  it("listing the ledger files in another order changes no figure", async () => {
    const { cpSync, readFileSync: read, writeFileSync } = await import("node:fs");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "consolidate-order-"));
    cpSync(SJUHARAD, dir, { recursive: true });
    const group = JSON.parse(read(join(dir, "consolidate.json"), "utf8")) as {
      years: Record<string, { ledgers: unknown[] }>;
    };
    for (const y of Object.values(group.years)) y.ledgers.reverse();
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(group));
    const figures = async (d: string) => {
      const r = JSON.parse((await runCli(["2013", "--dir", d, "--format", "json"])).stdout) as Record<string, unknown>;
      return { statements: r.statements, notes: r.notes, internal: r.internal };
    };
    expect(await figures(dir)).toEqual(await figures(SJUHARAD));
  });
});
