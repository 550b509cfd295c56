import { join } from "node:path";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectEncoding, plainTokens, readSie, readSieInto, SieRecord, tokenize } from "../src/read/sie.js";
import { codepages, decodeCp437 } from "../src/read/codepages.js";
import { ROOT, runCli, ALLOW_EXAMPLE } from "./helpers.js";
import { compareWithPublished, published } from "./published.js";

const SIE = join(ROOT, "fixtures", "sie");

async function records(path: string) {
  const out: SieRecord[] = [];
  let encoding = "";
  for await (const batch of readSie(path, path))
    for (const item of batch) {
      if ("encoding" in item) encoding = item.encoding;
      if (item instanceof SieRecord) out.push(item);
    }
  return { encoding, records: out };
}

describe("SIE tokenizer", () => {
  it("reads quoted fields with escapes, unquoted tokens and object lists, with their columns", () => {
    const columns: number[] = [];
    expect(tokenize('#PROGRAM "Ekonomi \\"Plus\\"" 4.2', columns)).toEqual({
      label: "#PROGRAM",
      fields: ['Ekonomi "Plus"', "4.2"],
    });
    expect(columns).toEqual([1, 10, 29]);
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
    // a text cut without its closing quote runs to the end of the line, and says where it began
    expect(tokenize('#KONTO 1510 "Kundfordringar')).toEqual({
      label: "#KONTO",
      fields: ["1510", "Kundfordringar"],
      unclosed: 13,
    });
    expect(tokenize("#TRANS 1930 {1 100 400.00")).toMatchObject({ problem: "an object list is not closed with }" });
    expect(tokenize("#OIB 0 1510 {20} 5")).toMatchObject({
      problem: "an object list must hold pairs of dimension and object",
    });
  });

  it("words a brace out of place, at its column (it once read empty fields without end)", () => {
    expect(tokenize("#TRANS 19300 {20 M1 +3.10 {}")).toEqual({
      problem: "an object list holds a {: object lists do not nest",
      column: 27,
    });
    expect(tokenize("#TRANS 1930 } 100")).toEqual({ problem: "a } closes no object list", column: 13 });
    expect(tokenize("#VER A 1}x")).toEqual({ problem: "a } closes no object list", column: 9 });
  });
});

describe("SIE plain lines, split at their spaces", () => {
  const piece = fc.constantFrom(
    "#TRANS",
    "#VER",
    "1930",
    "-1000.50",
    "20130331",
    "å",
    "x{",
    "}y",
    "{}",
    "{ }",
    "{",
    "}",
    " ",
    " ",
    "  ",
    "\t",
    '"',
    '"a b"',
    '\\"',
    "{1 100}",
    '{20 "M1"}',
  );
  const line = fc.array(piece, { maxLength: 12 }).map((p) => p.join(""));

  it("the general tokenizer ends every line in fields or a problem (property)", () => {
    fc.assert(
      fc.property(line, (l) => {
        const t = tokenize(l, []);
        expect("problem" in t || "fields" in t).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads every line it takes as the general tokenizer does (property)", () => {
    fc.assert(
      fc.property(line, (l) => {
        const quick = plainTokens(l);
        if (quick !== undefined) expect(quick).toEqual(tokenize(l, []));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the common voucher and row, and leaves escapes, tabs and odd object lists to the tokenizer", () => {
    expect(plainTokens("  #TRANS 1930 {} -1000.50  20130331")).toEqual({
      label: "#TRANS",
      fields: ["1930", { objects: [] }, "-1000.50", "20130331"],
    });
    expect(plainTokens('#VER A 1 20130101 "Hyra mars" ""')).toEqual({
      label: "#VER",
      fields: ["A", "1", "20130101", "Hyra mars", ""],
    });
    expect(plainTokens("{")).toEqual({ label: "{", fields: [] });
    expect(plainTokens('#TRANS 1700 {20 e08 1 "Kansli 2"} 15127.99')).toEqual({
      label: "#TRANS",
      fields: [
        "1700",
        {
          objects: [
            ["20", "e08"],
            ["1", "Kansli 2"],
          ],
        },
        "15127.99",
      ],
    });
    expect(plainTokens('\t#TRANS 1930 {} 1.00 20130101 ""')).toEqual({
      label: "#TRANS",
      fields: ["1930", { objects: [] }, "1.00", "20130101", ""],
    });
    for (const l of [
      '#VER A 1 20130101 "Skärm 24\\""',
      '#VER A 1 20130101 "Text"x',
      "#TRANS\t1930 {} 1",
      "\t#TRANS 1930\t{} 1",
      "#TRANS 1930 {1} 1",
      "#TRANS 1930 {1\t100} 1",
      '#TRANS 1930 {1 "1\\"00"} 1',
      "#TRANS 1930 {1 100}1",
      "#TRANS 1930 {1 100 1",
      "#TRANS 1930 {} 1}",
    ])
      expect(plainTokens(l)).toBeUndefined();
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

  it("decodes code page 437 as iconv-lite does, every byte (property)", () => {
    const iconv = codepages();
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    expect(decodeCp437(all)).toBe(iconv.decode(Buffer.from(all), "cp437"));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (bytes) => {
        expect(decodeCp437(bytes)).toBe(iconv.decode(Buffer.from(bytes), "cp437"));
      }),
      { numRuns: 50 },
    );
  });

  it("reads the same records whatever size of chunk splits a character, in UTF-8 and CP437 (property)", async () => {
    const lines = [
      "#FLAGGA 0",
      '#FNAMN "Kansliet på Årsta"',
      ...Array.from({ length: 40 }, (_, i) => `#KONTO ${1000 + i} "Växel, hyra och ölförråd ${i} ÅÄÖ éü"`),
    ];
    const text = `\uFEFF${lines.join("\r\n")}\r\n`;
    const dir = join(tmpdir(), `consolidate-sie-chunks-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const files = {
      utf8: Buffer.from(text, "utf8"),
      cp437: codepages().encode(text.slice(1), "cp437"),
    };
    for (const [encoding, bytes] of Object.entries(files)) {
      const path = join(dir, `${encoding}.se`);
      writeFileSync(path, bytes);
      const read = async (chunkBytes?: number) => {
        const out: [string, unknown][] = [];
        for await (const batch of readSie(path, path, undefined, chunkBytes))
          for (const item of batch) if (item instanceof SieRecord) out.push([item.label, item.fields]);
        return out;
      };
      const whole = await read();
      expect(whole).toHaveLength(lines.length);
      expect(whole[1]).toEqual(["#FNAMN", ["Kansliet på Årsta"]]);
      // Handed on one at a time (readSieInto, as a ledger reads them): the same records.
      const handed: [string, unknown][] = [];
      await readSieInto(path, path, undefined, {
        item: (item) => void (item instanceof SieRecord && handed.push([item.label, item.fields])),
      });
      expect(handed).toEqual(whole);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 97 }), async (chunkBytes) => {
          expect(await read(chunkBytes)).toEqual(whole);
        }),
        { numRuns: 25 },
      );
    }
  });

  it("shows a line of a SIE file in an excerpt as the reader decoded it, in CP437 and UTF-8", async () => {
    const lines = [
      "#FLAGGA 0",
      "#SIETYP 4",
      "#RAR 0 20130101 20131231",
      '#VER A 1 20130630 "Omföring"',
      "{",
      '#TRANS 1930 {} 9OO.50 20130630 "Omföring årets"',
      "#TRANS 3010 {} -900.50",
      "}",
    ];
    const dir = join(tmpdir(), `consolidate-sie-excerpt-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    for (const [encoding, bytes] of [
      ["cp437", codepages().encode(lines.join("\r\n"), "cp437")],
      ["utf8", Buffer.from(lines.join("\n"), "utf8")],
    ] as const) {
      writeFileSync(join(dir, `kansli-${encoding}.se`), bytes);
      const r = await runCli(["check", "2013", `kansli-${encoding}.se`], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('6 | #TRANS 1930 {} 9OO.50 20130630 "Omföring årets"');
    }
  });

  it("takes the UTF-8 BOM off", async () => {
    const r = await records(join(ROOT, "fixtures", "sjuharad", "sie", "2013", "mc.se"));
    expect(r.encoding).toBe("utf8");
    expect(r.records[0]!.label).toBe("#KSUMMA");
  });
});

describe("SIE as ledger source", () => {
  const figures = async (dir: string, year = "2013") => {
    const r = await runCli([year, "--dir", dir, "--format", "json", ...ALLOW_EXAMPLE]);
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
    const r = await runCli(["check", "--dir", join(ROOT, "fixtures", name), "--strict", ...ALLOW_EXAMPLE]);
    expect(r.stdout).toMatch(/no problems found\nRead .*; every rule passed\.\n$/);
    expect(r.code).toBe(0);
  });
});

describe("zero configuration: statements straight from SIE exports", () => {
  const dir = join(ROOT, "fixtures", "sjuharad", "sie", "2013");

  it("one file per unit: LKBR lines, the prior year from #RAR -1, internal items eliminated", async () => {
    const r = await runCli(
      [
        "2013",
        "kansli.se",
        "navet.se",
        "mc.se",
        "--motpart-dim",
        "20",
        "--name",
        "Sjuhärads kommunalförbund",
        "--format",
        "json",
      ],
      dir,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      years: number[];
      entities: { id: string; name: string }[];
      statements: { id: string; scope: string; rows: { label: string; values: string[] }[] }[];
      internal: { eliminated: string[] };
    };
    expect(report.years).toEqual([2013, 2012]);
    expect(report.entities.map((e) => e.name)).toEqual(["Kansli och Tillväxtmedel", "Navet", "Medarbetarcentrum"]);
    const income = report.statements.find((s) => s.id === "income" && s.scope === "group")!;
    expect(income.rows.map((x) => x.label)).toEqual([
      "Verksamhetens intäkter",
      "Verksamhetens kostnader",
      "Avskrivningar",
      "Verksamhetens nettokostnader",
      "Verksamhetens resultat",
      "Finansiella intäkter",
      "Finansiella kostnader",
      "Resultat efter finansiella poster",
      "Extraordinära poster",
      "Årets resultat",
    ]);
    expect(income.rows.find((x) => x.label === "Årets resultat")!.values).toEqual(["2702100.00", "912100.00"]);
    expect(income.rows.find((x) => x.label === "Verksamhetens kostnader")!.values).toEqual([
      "-50969900.00",
      "-63300005.00",
    ]);
    expect(report.internal.eliminated).toEqual(["1141800.00", "1973000.00"]);
    const balance = report.statements.find((s) => s.id === "balance")!;
    expect(balance.rows.find((x) => x.label === "Summa tillgångar")!.values).toEqual(
      balance.rows.find((x) => x.label === "Summa eget kapital, avsättningar och skulder")!.values,
    );
  });

  it("one combined file with the units in dimension 1 gives the same statements", async () => {
    const run = async (args: string[]) => {
      const r = await runCli(
        [...args, "--motpart-dim", "20", "--name", "Sjuhärads kommunalförbund", "--format", "json"],
        dir,
      );
      expect(r.stderr).toBe("");
      return (JSON.parse(r.stdout) as { statements: unknown }).statements;
    };
    expect(await run(["2013", "sjuharad.se", "--units-dim", "1"])).toEqual(
      await run(["2013", "kansli.se", "navet.se", "mc.se"]),
    );
  });

  it("init --from-sie writes a workspace that checks clean and reports", async () => {
    const target = join(tmpdir(), `consolidate-init-${process.pid}-${Date.now()}`);
    const files = ["kansli.se", "navet.se", "mc.se", "../2012/kansli.se", "../2012/navet.se", "../2012/mc.se"];
    const init = await runCli(
      ["init", target, "--from-sie", ...files, "--motpart-dim", "20", "--name", "Sjuhärads kommunalförbund"],
      dir,
    );
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`wrote ${join(target, "consolidate.json")}`);
    const group = JSON.parse(readFileSync(join(target, "consolidate.json"), "utf8")) as {
      years: Record<string, unknown>;
      entities: unknown[];
    };
    expect(Object.keys(group.years)).toEqual(["2012", "2013"]);
    expect(group.entities).toHaveLength(3);
    const check = await runCli(["check", "2013", "--dir", target]);
    expect(check.stdout).toMatch(/no problems found/);
    const r = await runCli(["2013", "--dir", target]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Årets resultat +2\u00a0702 +912/);
    const again = await runCli(["init", target, "--from-sie", "kansli.se"], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists already");
  });
});

describe("CSV dialects of real exports", () => {
  it("Windows-1252 with semicolons, Swedish headers and decimal commas, and UTF-8 with tabs, give the statements of the plain files", async () => {
    const figures = async (dir: string) => {
      const r = await runCli(["2013", "--dir", dir, "--format", "json", ...ALLOW_EXAMPLE]);
      expect(r.stderr).toBe("");
      return (JSON.parse(r.stdout) as { statements: unknown }).statements;
    };
    expect(await figures(join(ROOT, "fixtures", "csv-dialects"))).toEqual(
      await figures(join(ROOT, "fixtures", "mini")),
    );
  });

  it("Windows-1252 text with €, – and ’ (bytes 0x80 to 0x9F) reads as those characters, quoted or not, at any chunk size", async () => {
    const { readCsv } = await import("../src/read/csv.js");
    const dir = join(tmpdir(), `consolidate-cp1252-${process.pid}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, "ledger.csv");
    const lines = ["serie;text", "A;Hyra jan–mars 1 200 €", 'B;"Kund’s ""faktura"" – åter"', "C;Årsavgift"];
    writeFileSync(path, codepages().encode(lines.join("\r\n"), "win1252"));
    for (const chunkBytes of [3, 7, 64 * 1024]) {
      const texts: string[] = [];
      for await (const batch of readCsv(path, "ledger.csv", { chunkBytes }))
        for (const item of batch) if ("record" in item) texts.push(item.record.values[1]!);
      expect(texts).toEqual(["Hyra jan–mars 1 200 €", 'Kund’s "faktura" – åter', "Årsavgift"]);
    }
  });

  it("detects the delimiter from the header, or refuses to guess", async () => {
    const { detectDelimiter } = await import("../src/read/csv.js");
    expect(detectDelimiter("a;b;c", "1;2,5;3")).toBe(";");
    expect(detectDelimiter("a\tb", "1\t2")).toBe("\t");
    expect(detectDelimiter('a,"b;c",d', "1,2,3")).toBe(",");
    expect(detectDelimiter("a;b,c", "1;2,3")).toBeNull();
    expect(detectDelimiter("a;b,c", "1;2;3,4")).toBe(",");
  });
});

describe("the prior year from #RAR -1 in a workspace", () => {
  it("a workspace with only the 2013 SIE exports reproduces the published 2013 report, 2012 included", async () => {
    const group = JSON.parse(readFileSync(join(ROOT, "fixtures", "sjuharad-sie", "consolidate.json"), "utf8")) as {
      $schema?: string;
      chart: string;
      layouts: Record<string, string>;
      years: Record<string, { ledgers: { path: string }[] }>;
    };
    const absolute = (p: string) => join(ROOT, "fixtures", "sjuharad-sie", p);
    delete group.$schema;
    group.chart = absolute(group.chart);
    for (const k of Object.keys(group.layouts)) group.layouts[k] = absolute(group.layouts[k]!);
    group.years = { 2013: { ledgers: group.years["2013"]!.ledgers.map((s) => ({ ...s, path: absolute(s.path) })) } };
    const dir = join(tmpdir(), `consolidate-rar-${process.pid}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(group));
    const r = await runCli(["2013", "--dir", dir, "--format", "json", ...ALLOW_EXAMPLE]);
    expect(r.stderr).toBe("");
    const { matched, total, misses } = compareWithPublished(JSON.parse(r.stdout), published(2013));
    expect(misses).toEqual([]);
    expect([matched, total]).toEqual([256, 256]);
  });
});
