import { describe, expect, it } from "vitest";
import { runCli, SJUHARAD } from "./helpers.js";
import { compareWithPublished, published } from "./published.js";

interface Row {
  label: string;
  values: string[];
}
interface JsonReport {
  years: number[];
  statements: { id: string; scope: string; rows: Row[] }[];
  notes: { number: number; title: string; rows: Row[] }[];
  internal: { eliminated: string[] };
}

async function report(year: number): Promise<JsonReport> {
  const r = await runCli([String(year), "--dir", SJUHARAD, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonReport;
}

const row = (rows: Row[] | undefined, label: string) => rows?.find((r) => r.label === label)?.values;

describe.each([
  [2013, 256],
  [2011, 188],
] as const)("the published %i annual report", (year, figures) => {
  it(`is reproduced figure by figure (all ${figures} published figures)`, async () => {
    const { matched, total, misses } = compareWithPublished(await report(year), published(year));
    expect(misses).toEqual([]);
    expect([matched, total]).toEqual([figures, figures]);
  });
});

describe("Sjuhärad 2013, exact kronor", () => {
  it("eliminates internal items in full, leaving the group result equal to the units' results", async () => {
    const r = await report(2013);
    expect(r.years).toEqual([2013, 2012]);
    const group = r.statements.find((s) => s.id === "income" && s.scope === "group")!;
    const units = r.statements.filter((s) => s.id === "income" && s.scope.startsWith("entity:"));
    expect(units.map((s) => s.scope)).toEqual(["entity:kansli", "entity:navet", "entity:mc"]);
    for (const y of [0, 1]) {
      const unitTotal = units.map((s) => Number(row(s.rows, "Årets resultat")![y])).reduce((a, b) => a + b, 0);
      expect(Number(row(group.rows, "Årets resultat")![y])).toBeCloseTo(unitTotal, 2);
    }
    expect(r.internal.eliminated).toEqual(["1141800.00", "1973000.00"]);
    expect(row(group.rows, "Årets resultat")).toEqual(["2702100.00", "912100.00"]);
  });

  it("balances the balance sheet in both years", async () => {
    const r = await report(2013);
    const balance = r.statements.find((s) => s.id === "balance")!;
    expect(row(balance.rows, "Summa tillgångar")).toEqual(
      row(balance.rows, "Summa eget kapital, avsättningar och skulder"),
    );
    expect(row(balance.rows, "Summa tillgångar")).toEqual(["58985200.00", "55561100.00"]);
  });

  it("numbers the notes in order of first reference", async () => {
    const r = await report(2013);
    expect(r.notes.map((n) => `${n.number} ${n.title}`)).toEqual([
      "1 Verksamhetens intäkter",
      "2 Verksamhetens kostnader",
      "3 Förbundsbidrag, kansli",
      "4 Medlemsavgifter, Navet",
      "5 Medlemsavgifter, Medarbetarcentrum",
      "6 Finansiella intäkter",
      "7 Finansiella kostnader",
      "8 Maskiner och inventarier",
      "9 Värdepapper",
      "10 Fordringar",
      "11 Kassa och bank",
      "12 Eget kapital",
      "13 Avsättningar för pensioner",
      "14 Långfristiga skulder",
      "15 Kortfristiga skulder",
    ]);
  });
});

describe("equity and results per unit, as the reports' narratives state them", () => {
  const tkr = (s: string) => Math.round(Number(s) / 1000);
  it("2013: utgående eget kapital 10 328 tkr, varav kansliet 9 740, Navet 792 och medarbetarcentrum −204", async () => {
    const r = (await report(2013)) as JsonReport & {
      equityByEntity: { entities: { name: string; values: string[] }[] };
    };
    const reference = published(2013);
    const got = Object.fromEntries(r.equityByEntity.entities.map((e) => [e.name, tkr(e.values[0]!)]));
    expect(got).toEqual(reference.closingEquityByEntity!.values);
  });

  it("2011: Navet 515 tkr and Medarbetarcentrum −458 tkr of the federation's 1 882", async () => {
    const r = await report(2011);
    const reference = published(2011).entityResults!;
    const result = (scope: string) =>
      tkr(row(r.statements.find((s) => s.id === "income" && s.scope === scope)!.rows, "Periodens resultat")![0]!);
    expect({ Navet: result("entity:navet"), Medarbetarcentrum: result("entity:mc") }).toEqual(reference.values);
    expect(result("group")).toBe(reference.total);
  });
});
