import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { cellName, numberAmount, plainNumber, readXlsx, type XlsxItem } from "../src/read/xlsx.js";
import { miniWorkspace, ROOT, runCli, SJUHARAD, ALLOW_EXAMPLE } from "./helpers.js";

const XLSX = join(ROOT, "fixtures", "xlsx");
const INVALID = join(ROOT, "fixtures", "invalid");

/** The report as JSON, without the list of input files (their names and hashes differ). */
async function report(dir: string, ...args: string[]) {
  const r = await runCli(["2013", "--dir", dir, "--format", "json", ...args, ...ALLOW_EXAMPLE]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const { inputs: _inputs, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
  return rest;
}

describe("ledgers, opening balances and budgets in Excel workbooks", () => {
  it("fixtures/xlsx (2013 in workbooks) gives the statements, notes and budget follow-up of the CSV workspace", async () => {
    const check = await runCli(["check", "--dir", XLSX, ...ALLOW_EXAMPLE]);
    expect(check.stdout).toMatch(/no problems found/);
    expect(check.code).toBe(0);
    const fromExcel = await report(XLSX, "--budget");
    expect(fromExcel.statements).toEqual((await report(SJUHARAD, "--budget")).statements);
    expect(fromExcel).toEqual(await report(SJUHARAD, "--budget"));
  });

  it("read in parallel threads, and in any time zone, the same", async () => {
    const plain = await report(XLSX);
    expect(await report(XLSX, "--jobs", "3")).toEqual(plain);
    for (const TZ of ["Pacific/Kiritimati", "America/Los_Angeles"]) {
      const out = await new Promise<string>((done, fail) =>
        execFile(
          process.execPath,
          [join(ROOT, "bin", "consolidate.js"), "2013", "--dir", XLSX, "--format", "json", ...ALLOW_EXAMPLE],
          { env: { ...process.env, TZ, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout) => (error ? fail(error) : done(stdout)),
        ),
      );
      const { inputs: _inputs, ...rest } = JSON.parse(out) as Record<string, unknown>;
      expect(rest).toEqual(plain);
    }
  });

  it("a workbook LibreOffice saved, amounts as formulas it calculated, gives the statements of the CSV ledger", async () => {
    const dir = miniWorkspace();
    copyFileSync(join(XLSX, "libreoffice", "b.xlsx"), join(dir, "ledgers", "2013", "b.xlsx"));
    const group = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
      years: Record<string, { ledgers: { path: string; entity: string; sheet?: string }[] }>;
    };
    group.years[2013]!.ledgers[1] = { path: "ledgers/2013/b.xlsx", entity: "b", sheet: "huvudbok" };
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(group));
    expect(await report(dir)).toEqual(await report(join(ROOT, "fixtures", "mini")));
  });

  // The exact output a user sees: the file, the sheet's row and column number, the cell as Excel
  // names it, no excerpt of the zip's bytes.
  it.each(["xlsx-amount-text", "xlsx-column-unknown"])("%s: check's text output", async (name) => {
    const dir = join(INVALID, name);
    const r = await runCli(["check", "--dir", "."], dir);
    expect(r.code).toBe(1);
    await expect(r.stdout).toMatchFileSnapshot(join(dir, "expected.txt"));
  });

  it("a CSV run does not load exceljs; a workbook does", async () => {
    const loaded = (path: string) =>
      new Promise<string>((done, fail) =>
        execFile(
          process.execPath,
          [
            "--input-type=module",
            "-e",
            `import { createRequire } from "node:module";
             const { readTable } = await import(${JSON.stringify(join(ROOT, "dist", "read", "table.js"))});
             for await (const _ of readTable(${JSON.stringify(path)}, "f"));
             const cache = createRequire(import.meta.url).cache;
             console.log(Object.keys(cache).some((m) => m.includes("/exceljs/")));`,
          ],
          (error, stdout) => (error ? fail(error) : done(stdout.trim())),
        ),
      );
    expect(await loaded(join(ROOT, "fixtures", "mini", "ledgers", "2013", "b.csv"))).toBe("false");
    expect(await loaded(join(XLSX, "libreoffice", "b.xlsx"))).toBe("true");
  });
});

/** Everything a workbook's sheet gives, records as plain objects. */
async function items(path: string, sheet?: string) {
  const out: unknown[] = [];
  for await (const batch of readXlsx(path, "b.xlsx", { sheet }))
    for (const item of batch as XlsxItem[])
      out.push(
        "record" in item
          ? { line: item.record.line, fields: item.record.fields, amount: item.record.numberOf("amount") }
          : "header" in item
            ? { header: item.header.names, line: item.header.line, columns: item.header.columns }
            : { code: item.error.code, message: item.error.message, line: item.error.line, column: item.error.column },
      );
  return out;
}

async function written(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(mkdtempSync(join(tmpdir(), "consolidate-xlsx-")), "b.xlsx");
  await wb.xlsx.writeFile(path);
  return path;
}

/** A workbook's zip parts, changed and stored again: in their order, or the sheets first and the book's parts last. */
function rezipped(
  path: string,
  change: (parts: Map<string, Uint8Array>) => void,
  order: "kept" | "book last" = "kept",
) {
  const parts = new Map(Object.entries(unzipSync(readFileSync(path))));
  change(parts);
  const names = [...parts.keys()];
  const last = (name: string) => /^xl\/(workbook\.xml|_rels|styles|sharedStrings)/.test(name);
  if (order === "book last") names.sort((a, b) => Number(last(a)) - Number(last(b)));
  const zip: Zippable = {};
  for (const name of names) zip[name] = [parts.get(name)!, { level: 6 }];
  const out = join(mkdtempSync(join(tmpdir(), "consolidate-xlsx-")), "b.xlsx");
  writeFileSync(out, zipSync(zip));
  return out;
}

const editText = (parts: Map<string, Uint8Array>, name: string, f: (text: string) => string) =>
  parts.set(name, strToU8(f(strFromU8(parts.get(name)!))));

describe("the workbook reader", () => {
  it("reads a number as the shortest decimal that is the same double, and refuses more than two decimals", () => {
    expect(plainNumber(1234.5)).toBe("1234.5");
    expect(plainNumber(-96806.07)).toBe("-96806.07");
    expect(plainNumber(1e21)).toBe("1000000000000000000000");
    expect(plainNumber(1.5e-7)).toBe("0.00000015");
    expect(plainNumber(-2.5e-7)).toBe("-0.00000025");
    expect(numberAmount(1234.5)).toEqual({ ore: 123450n });
    expect(numberAmount(-0.07)).toEqual({ ore: -7n });
    expect(numberAmount(48150652.54)).toEqual({ ore: 4815065254n });
    expect(numberAmount(0.1 + 0.2)).toMatchObject({
      code: "E-AMOUNT-PRECISION",
      problem: "'0.30000000000000004' has more than two decimals",
    });
    expect(numberAmount(1234.567)).toMatchObject({ code: "E-AMOUNT-PRECISION" });
    expect(cellName(14, 5)).toBe("E14");
    expect(cellName(1, 27)).toBe("AA1");
    expect(cellName(3, 702)).toBe("ZZ3");
    expect(cellName(3, 703)).toBe("AAA3");
  });

  it("takes a formula's saved result, and refuses an error (a LibreOffice workbook)", async () => {
    expect(await items(join(XLSX, "libreoffice", "b.xlsx"), "Fel")).toEqual([
      {
        header: ["series", "voucher", "date", "account", "amount", "counterparty", "text"],
        line: 1,
        columns: [1, 2, 3, 4, 5, 6, 7],
      },
      {
        code: "E-XLSX-FORMULA",
        message: "cell E2: the formula =1/0 gives an error",
        line: 2,
        column: 5,
      },
      {
        line: 2,
        fields: {
          series: "F",
          voucher: "1",
          date: "2013-06-30",
          account: "1930",
          amount: "",
          counterparty: "",
          text: "Formel",
        },
        amount: undefined,
      },
      {
        line: 3,
        fields: expect.objectContaining({ date: "2013-06-30", amount: "411.45885" }) as unknown,
        amount: 411.45885,
      },
      { line: 4, fields: expect.objectContaining({ date: "2013-06-30", amount: "100" }) as unknown, amount: 100 },
      { line: 5, fields: expect.objectContaining({ amount: "411.46" }) as unknown, amount: 411.46 },
    ]);
  });

  it("finds the header below empty rows, skips empty rows, reads dates without time zone and in the 1904 system", async () => {
    const path = await written((wb) => {
      wb.properties.date1904 = true;
      const ws = wb.addWorksheet("Blad1");
      ws.getCell("B3").value = "date";
      ws.getCell("C3").value = "amount";
      ws.getCell("E3").value = "text"; // D is an empty column between: no values, no problem
      ws.getCell("B4").value = new Date("2013-06-30T23:59:00Z");
      ws.getCell("B4").numFmt = "yyyy-mm-dd hh:mm";
      ws.getCell("C4").value = { formula: "1+1", result: 2 };
      ws.getCell("E4").value = { richText: [{ text: "Hyra " }, { font: { bold: true }, text: "juni" }] };
      ws.getCell("B6").value = { formula: "DATE(2013,1,1)", result: new Date("2013-01-01T00:00:00Z") };
      ws.getCell("B6").numFmt = "yyyy-mm-dd";
      ws.getCell("C6").value = "1 234,50";
      ws.getCell("E6").value = true;
    });
    expect(await items(path)).toEqual([
      { header: ["date", "amount", "text"], line: 3, columns: [2, 3, 5] },
      { line: 4, fields: { date: "2013-06-30", amount: "2", text: "Hyra juni" }, amount: 2 },
      { line: 6, fields: { date: "2013-01-01", amount: "1 234,50", text: "TRUE" }, amount: undefined },
    ]);
  });

  it("reads the first visible sheet, or the one named (in any case); refuses a sheet it does not have", async () => {
    const path = await written((wb) => {
      wb.addWorksheet("Dold", { state: "hidden" }).addRow(["hidden"]);
      wb.addWorksheet("Huvudbok").addRow(["amount"]);
      wb.addWorksheet("Budget").addRow(["budget"]);
    });
    expect(await items(path)).toEqual([{ header: ["amount"], line: 1, columns: [1] }]);
    expect(await items(path, "BUDGET")).toEqual([{ header: ["budget"], line: 1, columns: [1] }]);
    expect(await items(path, "Blad1")).toEqual([
      { code: "E-XLSX-SHEET", message: "the workbook has no sheet 'Blad1'", line: undefined, column: undefined },
    ]);
  });

  it("refuses values under an empty header cell, once per column", async () => {
    const path = await written((wb) => {
      const ws = wb.addWorksheet("Blad1");
      ws.addRow(["account", "amount"]);
      ws.addRow(["1930", 10, "anteckning"]);
      ws.addRow(["1930", 10, "mer"]);
    });
    expect(await items(path)).toEqual([
      { header: ["account", "amount"], line: 1, columns: [1, 2] },
      {
        code: "E-XLSX-HEADER",
        message: "the header cell C1 is empty, but the column holds values (the first in C2)",
        line: 1,
        column: 3,
      },
      { line: 2, fields: { account: "1930", amount: "10" }, amount: 10 },
      { line: 3, fields: { account: "1930", amount: "10" }, amount: 10 },
    ]);
  });

  it("says what a file that is no workbook is", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-xlsx-"));
    const file = (name: string, bytes: Buffer | string) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(await items(file("old.xls", ole))).toMatchObject([
      { code: "E-XLSX-INVALID", message: "the file is an Excel 97–2003 workbook (.xls), which is not read" },
    ]);
    expect(await items(file("b.xlsx", "series,voucher\nA,1\n"))).toMatchObject([
      { code: "E-XLSX-INVALID", message: "the file is text, not an Excel workbook" },
    ]);
    expect(
      await items(file("huvudbok.xls", "<html><body><table><tr><td>Konto</td></tr></table></body></html>")),
    ).toMatchObject([
      {
        code: "E-XLSX-INVALID",
        message: "the file is a web page (HTML) exported for Excel, not an Excel workbook (.xlsx)",
      },
    ]);
    expect(await items(file("empty.xlsx", ""))).toMatchObject([
      { code: "E-XLSX-INVALID", message: "the file is empty, not an Excel workbook" },
    ]);
    const cut = readFileSync(join(XLSX, "libreoffice", "b.xlsx")).subarray(0, 3000);
    expect(await items(file("cut.xlsx", cut))).toMatchObject([
      { code: "E-XLSX-INVALID", message: expect.stringMatching(/^the file cannot be read as an Excel workbook: /) },
    ]);
  });
});

describe("a workbook's zip, as other programs store it", () => {
  const book = () =>
    written((wb) => {
      wb.addWorksheet("Dold", { state: "hidden" }).addRow(["hidden"]);
      const ws = wb.addWorksheet("Huvudbok");
      ws.addRow(["date", "amount", "text"]);
      ws.addRow([new Date("2013-03-31T00:00:00Z"), 12.5, "Hyra kansli"]);
      ws.getCell("A2").numFmt = "yyyy-mm-dd";
    });
  const expected = [
    { header: ["date", "amount", "text"], line: 1, columns: [1, 2, 3] },
    { line: 2, fields: { date: "2013-03-31", amount: "12.5", text: "Hyra kansli" }, amount: 12.5 },
  ];

  it("reads the parts in whatever order they are stored (workbook.xml last), every time", async () => {
    const reordered = rezipped(await book(), () => undefined, "book last");
    const names = Object.keys(unzipSync(readFileSync(reordered)));
    expect(names.slice(-4).sort()).toEqual([
      "xl/_rels/workbook.xml.rels",
      "xl/sharedStrings.xml",
      "xl/styles.xml",
      "xl/workbook.xml",
    ]);
    const reads = await Promise.all(Array.from({ length: 24 }, () => items(reordered)));
    for (const read of reads) expect(read).toEqual(expected);
  });

  it("finds a sheet by its relationship, wherever the part is and whatever it is called", async () => {
    const moved = rezipped(await book(), (parts) => {
      parts.set("xl/data/huvudbok.xml", parts.get("xl/worksheets/sheet2.xml")!);
      parts.delete("xl/worksheets/sheet2.xml");
      editText(parts, "xl/_rels/workbook.xml.rels", (t) => t.replace("worksheets/sheet2.xml", "/xl/data/huvudbok.xml"));
    });
    expect(await items(moved)).toEqual(expected);
  });

  it("finds the workbook part where the package's relationships say, and its parts relative to it", async () => {
    const moved = rezipped(await book(), (parts) => {
      const move = (from: string, to: string) => {
        parts.set(to, parts.get(from)!);
        parts.delete(from);
      };
      move("xl/workbook.xml", "book/main.xml");
      move("xl/_rels/workbook.xml.rels", "book/_rels/main.xml.rels");
      move("xl/worksheets/sheet1.xml", "book/sheets/sheet1.xml");
      move("xl/worksheets/sheet2.xml", "book/sheets/sheet2.xml");
      move("xl/styles.xml", "book/styles.xml");
      // The sheets and styles beside the workbook part, its shared strings where they were, by an absolute name.
      editText(parts, "book/_rels/main.xml.rels", (t) =>
        t
          .replace(/Target="worksheets\//g, 'Target="sheets/')
          .replace('Target="sharedStrings', 'Target="/xl/sharedStrings'),
      );
      editText(parts, "_rels/.rels", (t) => t.replace("xl/workbook.xml", "book/main.xml"));
    });
    const names = Object.keys(unzipSync(readFileSync(moved)));
    expect(names.filter((n) => n.startsWith("book/")).sort()).toEqual([
      "book/_rels/main.xml.rels",
      "book/main.xml",
      "book/sheets/sheet1.xml",
      "book/sheets/sheet2.xml",
      "book/styles.xml",
    ]);
    expect(await items(moved)).toEqual(expected);
  });

  it("keeps a character whole where the zip's chunks split it, and refuses a part that is not UTF-8", async () => {
    // Characters of two and three bytes, at every alignment: exceljs alone split 9 of these 6 000.
    const texts = Array.from({ length: 6000 }, (_, i) => `${i}: €€€€€€ ÅÄÖåäö ——`);
    const path = await written((wb) => {
      const ws = wb.addWorksheet("Blad1");
      ws.addRow(["text"]);
      for (const t of texts) ws.addRow([t]);
    });
    const read = await items(path);
    expect(read.slice(1).map((r) => (r as { fields: { text: string } }).fields.text)).toEqual(texts);
    const latin1 = rezipped(path, (parts) => {
      const strings = parts.get("xl/sharedStrings.xml")!;
      const at = Buffer.from(strings).indexOf(Buffer.from("Å"));
      parts.set(
        "xl/sharedStrings.xml",
        Buffer.concat([strings.subarray(0, at), Buffer.from([0xc5]), strings.subarray(at + 2)]),
      );
    });
    expect(await items(latin1)).toEqual([
      {
        code: "E-XLSX-INVALID",
        message: "the file cannot be read as an Excel workbook: its part xl/sharedStrings.xml is not UTF-8 text",
        line: undefined,
        column: undefined,
      },
    ]);
  });

  it("says which part a zip that is no workbook lacks", async () => {
    const noBook = rezipped(await book(), (parts) => parts.delete("xl/workbook.xml"));
    expect(await items(noBook)).toMatchObject([
      {
        code: "E-XLSX-INVALID",
        message: "the file cannot be read as an Excel workbook: its part xl/workbook.xml is missing",
      },
    ]);
  });
});
