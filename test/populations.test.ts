import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { runCli, SJUHARAD } from "./helpers.js";

/** The Sjuhärad workspace with the 2013 populations in a file instead of consolidate.json. */
async function withPopulationFile(name: string, write: (path: string, rows: [string, number][]) => Promise<void>) {
  const dir = join(mkdtempSync(join(tmpdir(), "consolidate-populations-")), "ws");
  cpSync(SJUHARAD, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
    years: Record<string, { populations?: unknown }>;
  };
  const rows = Object.entries(config.years["2013"]!.populations as Record<string, number>);
  mkdirSync(join(dir, "populations"));
  await write(join(dir, "populations", name), rows);
  config.years["2013"]!.populations = { path: `populations/${name}` };
  writeFileSync(join(dir, "consolidate.json"), JSON.stringify(config, null, 2));
  return dir;
}

const fees = async (dir: string) => {
  const r = await runCli(["fees", "2013", "--dir", dir, "--format", "json"]);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as unknown;
};

describe("populations from a file the accountant keeps beside the ledgers", () => {
  it("an Excel workbook (member, population) gives the fees of the populations in consolidate.json", async () => {
    const dir = await withPopulationFile("2013.xlsx", async (path, rows) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Invånare");
      ws.addRow(["member", "population"]);
      for (const [member, n] of rows) ws.addRow([member, n]);
      await wb.xlsx.writeFile(path);
    });
    expect(await fees(dir)).toEqual(await fees(SJUHARAD));
  });

  it("a CSV file with Swedish headers mapped gives the same", async () => {
    const dir = await withPopulationFile("2013.csv", async (path, rows) => {
      writeFileSync(path, `Medlem;Invånare\n${rows.map(([m, n]) => `${m};${n}`).join("\n")}\n`);
    });
    const config = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
      years: Record<string, { populations: object }>;
    };
    config.years["2013"]!.populations = {
      path: "populations/2013.csv",
      csv: { columns: { member: "Medlem", population: "Invånare" } },
    };
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(config, null, 2));
    expect(await fees(dir)).toEqual(await fees(SJUHARAD));
  });

  it("a population that is not a whole number, and a member that is not one, are refused at their cell", async () => {
    const dir = await withPopulationFile("2013.csv", async (path, rows) => {
      const lines = rows.map(([m, n]) => `${m},${n}`);
      lines[0] = lines[0]!.replace(/,(\d+)$/, ",8 306");
      lines.push("XYZ,100");
      writeFileSync(path, `member,population\n${lines.join("\n")}\n`);
    });
    const r = await runCli(["check", "2013", "--dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'populations/2013.csv:2:5: error E-SCHEMA: population: the text "8 306" is not in the form',
    );
    expect(r.stdout).toMatch(
      /populations\/2013\.csv:\d+:1: error E-COUNTERPARTY-UNKNOWN: member 'XYZ' is not a member/,
    );
  });
});
