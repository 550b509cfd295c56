import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers.js";

/**
 * A kommunkoncern's entities keep their books in whatever their systems export (issue 15): SIE 4
 * with vouchers, SIE 1–3 trial balances, CSV with opening balances, internal items marked by a
 * counterparty code or by accounts kept for the koncernföretag.
 */
interface Row {
  id: string;
  values: string[];
}
interface Report {
  statements: { id: string; scope: string; rows: Row[] }[];
  koncern: {
    years: {
      matrix: { rows: { id: string; values: Record<string, string> }[] };
      bridges: { equity: { closing: { holds: boolean } }; result: { holds: boolean } };
      journal: { id: string }[];
    }[];
  };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "koncern-inputs-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function report(dir: string): Promise<Report> {
  const r = await runCli(["2024", "--dir", dir, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const value = (rep: Report, statement: string, scope: string, row: string) =>
  rep.statements.find((s) => s.id === statement && s.scope === scope)!.rows.find((r) => r.id === row)!.values[0];

describe("a kommunkoncern from CSV ledgers", () => {
  const CSV = "series,voucher,date,account,amount,counterparty,text\n";
  const dir = workspace({
    "consolidate.json": JSON.stringify({
      name: "Åby kommunkoncern",
      parent: "kommunen",
      taxRates: [{ from: "2021-01-01", rate: "0.206" }],
      entities: [
        {
          id: "kommunen",
          name: "Åby kommun",
          kind: "kommun",
          shares: { "2024": "1" },
          chart: "kommun-bas",
          accounts: "kommunen-konton.csv",
          ledgers: { "2024": "kommunen-2024.csv" },
          openingBalances: { "2024": "kommunen-ib-2024.csv" },
          counterparties: [{ codes: { "51": "bolag" } }],
        },
        {
          id: "bolag",
          name: "Åby Fastigheter AB",
          kind: "aktiebolag",
          shares: { "2024": "0.5" },
          chart: "bas",
          accounts: "bolag-konton.csv",
          ledgers: { "2024": "bolag-2024.csv" },
          openingBalances: { "2024": "bolag-ib-2024.csv" },
          counterparties: [{ accounts: ["1660", "2460", "3011", "6591"], entity: "kommunen" }],
          acquisition: {
            founded: true,
            date: "1990-01-01",
            investment: { entity: "kommunen", account: "1311" },
            price: "1000000.00",
            equity: "2000000.00",
          },
        },
      ],
    }),
    "kommunen-konton.csv":
      "number,name,type\n1311,Aktier i koncernföretag,asset\n1510,Kundfordringar,asset\n1930,Bank,asset\n2090,Eget kapital,liability\n3110,Försäljning,revenue\n5110,Löner,expense\n6110,Lokalhyror,expense\n8011,Skatteintäkter,revenue\n",
    "kommunen-ib-2024.csv":
      "entity,account,counterparty,amount\nkommunen,1311,51,1000000.00\nkommunen,1930,,9000000.00\nkommunen,2090,,-10000000.00\n",
    "kommunen-2024.csv":
      CSV +
      "A,1,2024-01-31,1930,50000000.00,,Skatteintäkter\nA,1,2024-01-31,8011,-50000000.00,,Skatteintäkter\n" +
      "A,2,2024-02-29,5110,40000000.00,,Löner\nA,2,2024-02-29,1930,-40000000.00,,Löner\n" +
      "A,3,2024-03-31,6110,2000000.00,51,Hyra Åby Fastigheter\nA,3,2024-03-31,1930,-2000000.00,,Hyra Åby Fastigheter\n" +
      "A,4,2024-12-31,1510,300000.00,51,Fastighetsskötsel\nA,4,2024-12-31,3110,-300000.00,51,Fastighetsskötsel\n",
    "bolag-konton.csv":
      "number,name,type\n1110,Byggnader,asset\n1660,Fordringar hos koncernföretag,asset\n1930,Bank,asset\n2081,Aktiekapital,liability\n2460,Leverantörsskulder till koncernföretag,liability\n3010,Hyresintäkter,revenue\n3011,Hyresintäkter koncernföretag,revenue\n5010,Fastighetskostnader,expense\n6591,Tjänster från koncernföretag,expense\n",
    "bolag-ib-2024.csv":
      "entity,account,counterparty,amount\nbolag,1110,,1800000.00\nbolag,1930,,200000.00\nbolag,2081,,-2000000.00\n",
    "bolag-2024.csv":
      CSV +
      "B,1,2024-03-31,1930,2000000.00,,Hyra Åby kommun\nB,1,2024-03-31,3011,-2000000.00,,Hyra Åby kommun\n" +
      "B,2,2024-06-30,1930,5000000.00,,Hyror\nB,2,2024-06-30,3010,-5000000.00,,Hyror\n" +
      "B,3,2024-09-30,5010,4000000.00,,Drift\nB,3,2024-09-30,1930,-4000000.00,,Drift\n" +
      "B,4,2024-12-31,6591,300000.00,,Fastighetsskötsel från kommunen\nB,4,2024-12-31,2460,-300000.00,,Fastighetsskötsel från kommunen\n",
  });

  it("eliminates the items marked by a code on one side and by accounts on the other, at the lower share", async () => {
    const rep = await report(dir);
    // 300 000 + 0.5 × 7 000 000 − 0.5 × (2 000 000 + 300 000) internal.
    expect(value(rep, "income", "group", "verksamhetens-intakter")).toBe("2650000.00");
    expect(value(rep, "income", "group", "verksamhetens-kostnader")).toBe("-43000000.00");
    // The kommun's 8 300 000 and half the company's 2 700 000.
    expect(value(rep, "income", "group", "arets-resultat")).toBe("9650000.00");
    // The receivable and the payable of 300 000 leave at 0.5; the shares against the equity subscribed.
    expect(value(rep, "balance", "group", "fordringar")).toBe("150000.00");
    expect(value(rep, "balance", "group", "finansiella-anlaggningstillgangar")).toBe("0.00");
    const y = rep.koncern.years[0]!;
    expect(y.journal.map((j) => j.id).sort()).toEqual([
      "capital-bolag",
      "internal-kommunen-bolag-balance",
      "internal-kommunen-bolag-result",
    ]);
    expect([y.bridges.equity.closing.holds, y.bridges.result.holds]).toEqual([true, true]);
  });
});

describe("a kommunkoncern with an entity's trial balance in SIE 1–3 (no vouchers)", () => {
  it("gives the same figures as its SIE 4 with vouchers", async () => {
    const original = join(ROOT, "fixtures", "kommunkoncern");
    const dir = mkdtempSync(join(tmpdir(), "koncern-sie3-"));
    cpSync(original, dir, { recursive: true });
    for (const year of ["2023", "2024"]) {
      const path = join(dir, "sie", year, "rtj.se");
      // The förbund's export as a balance file: vouchers and checksum left out, #SIETYP 3.
      const lines = readFileSync(path, "latin1").split("\r\n");
      const kept: string[] = [];
      let inVoucher = false;
      for (const line of lines) {
        if (line.startsWith("#VER")) inVoucher = true;
        else if (inVoucher && line === "}") inVoucher = false;
        else if (!inVoucher && !line.startsWith("#KSUMMA")) kept.push(line.replace(/^#SIETYP 4/, "#SIETYP 3"));
      }
      expect(kept.some((l) => /^\s*#(VER|TRANS)/.test(l))).toBe(false);
      writeFileSync(path, kept.join("\r\n"), "latin1");
    }
    const [before, after] = [await report(original), await report(dir)];
    for (const statement of ["income", "balance", "cashflow"])
      for (const scope of ["group", "entity:kommunen"])
        expect(after.statements.find((s) => s.id === statement && s.scope === scope)!.rows).toEqual(
          before.statements.find((s) => s.id === statement && s.scope === scope)!.rows,
        );
    expect(after.koncern.years.map((y) => y.matrix)).toEqual(before.koncern.years.map((y) => y.matrix));
  });
});
