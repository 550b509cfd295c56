import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectEncoding, readSie, tokenize, type SieRecord } from "../src/read/sie.js";
import { ROOT, runCli } from "./helpers.js";

const SIE = join(ROOT, "fixtures", "sie");

async function records(path: string) {
  const out: SieRecord[] = [];
  let encoding = "";
  for await (const item of readSie(path, path)) {
    if ("encoding" in item) encoding = item.encoding;
    if ("record" in item) out.push(item.record);
  }
  return { encoding, records: out };
}

describe("SIE tokenizer", () => {
  it("reads quoted fields with escapes, unquoted tokens and object lists, with their columns", () => {
    expect(tokenize('#PROGRAM "Ekonomi \\"Plus\\"" 4.2')).toEqual({
      label: "#PROGRAM",
      fields: ['Ekonomi "Plus"', "4.2"],
      columns: [1, 10, 29],
    });
    expect(tokenize('\t#TRANS 3810 {20 M1 1 "100 A"} -1000.00 20130331 "Medlemsavgift"')).toMatchObject({
      label: "#TRANS",
      fields: [
        "3810",
        {
          objects: [
            ["20", "M1"],
            ["1", "100 A"],
          ],
        },
        "-1000.00",
        "20130331",
        "Medlemsavgift",
      ],
    });
    expect(tokenize("#TRANS 1930 {} 1000")).toMatchObject({ fields: ["1930", { objects: [] }, "1000"] });
    expect(tokenize('#KONTO 1510 "Kundfordringar')).toEqual({ problem: "a quoted field is not closed", column: 13 });
    expect(tokenize("#OIB 0 1510 {20} 5")).toMatchObject({
      problem: "an object list must hold pairs of dimension and object",
    });
  });
});

describe("SIE encodings, decided from the bytes", () => {
  it.each([
    ["valid-pc8", "cp437"],
    ["valid-cp1252", "win1252"],
    ["valid-utf8", "utf8"],
  ])("%s is read as %s, whatever #FORMAT declares", async (name, encoding) => {
    const path = join(SIE, name, "a.se");
    expect(detectEncoding(readFileSync(path))).toBe(encoding);
    const r = await records(path);
    expect(r.encoding).toBe(encoding);
    expect(r.records.find((x) => x.label === "#FORMAT")!.fields).toEqual(["PC8"]);
    expect(r.records.find((x) => x.label === "#GEN")!.fields).toEqual(["20140110", "Anna Åberg"]);
    expect(r.records.find((x) => x.label === "#OBJEKT")!.fields).toEqual(["1", "100", "Kansliet på Årsta"]);
    expect(r.records.map((x) => x.label)).toContain("#OKAND");
  });

  it("takes the UTF-8 BOM off", async () => {
    const r = await records(join(ROOT, "fixtures", "sjuharad", "sie", "2013", "mc.se"));
    expect(r.encoding).toBe("utf8");
    expect(r.records[0]!.label).toBe("#KSUMMA");
  });
});

describe("SIE as ledger source", () => {
  const figures = async (dir: string, year = "2013") => {
    const r = await runCli([year, "--dir", dir, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    return {
      statements: report.statements,
      notes: report.notes,
      internal: report.internal,
      equity: report.equityByEntity,
    };
  };

  it("a balance-only file (no vouchers) gives the same statements as the vouchers", async () => {
    expect(await figures(join(SIE, "balance-only"))).toEqual(await figures(join(SIE, "valid-pc8")));
  });

  it("the three encodings give the same statements", async () => {
    const pc8 = await figures(join(SIE, "valid-pc8"));
    expect(await figures(join(SIE, "valid-cp1252"))).toEqual(pc8);
    expect(await figures(join(SIE, "valid-utf8"))).toEqual(pc8);
  });

  it.each(["2013", "2011"])(
    "Sjuhärad %s from SIE exports, per unit and combined, equals the CSV workspace to the öre",
    async (year) => {
      const csv = await figures(join(ROOT, "fixtures", "sjuharad"), year);
      expect(await figures(join(ROOT, "fixtures", "sjuharad-sie"), year)).toEqual(csv);
      expect(await figures(join(ROOT, "fixtures", "sjuharad-sie-combined"), year)).toEqual(csv);
    },
  );

  it.each(["sjuharad-sie", "sjuharad-sie-combined"])("%s passes check for every year", async (name) => {
    const r = await runCli(["check", "--dir", join(ROOT, "fixtures", name), "--strict"]);
    expect(r.stdout).toMatch(/no problems found\n$/);
    expect(r.code).toBe(0);
  });
});
