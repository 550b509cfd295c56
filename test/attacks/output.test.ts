/**
 * Issue 14, items 9, 11, 12 and 15 (the output side): hostile texts in every export, workflow
 * commands and terminal escapes in the logs, `--out` onto special files, and the process's own
 * failures. Each test asserts the exact output, and that no output holds a stack trace.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { SaxesParser } from "saxes";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputError, Utf8Sink, writeAtomically } from "../../src/cli/output.js";
import { textOf } from "../../src/render/streamed.js";
import { formatKronor } from "../../src/domain/money.js";
import { renderJson } from "../../src/render/json.js";
import { guardLines } from "../../src/render/visible.js";
import { miniWorkspace, ROOT, runCli, type CliResult } from "../helpers.js";

const BIN = join(ROOT, "bin", "consolidate.js");

/** No output of any run is a stack trace. */
function noTrace(r: { stdout: string; stderr: string }): void {
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/\n\s+at .*[(:]\d+/);
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/node:internal|\.js:\d+:\d+/);
}

interface Group {
  name: string;
  entities: { id: string; name: string }[];
  members: { code: string; name: string }[];
  internal: { kinds?: unknown[] };
}
interface Layout {
  statements: { id: string; rows: { id: string; label: string }[] }[];
}

/** The mini workspace with consolidate.json, layout.json or a ledger changed. */
function workspace(change: { group?: (g: Group) => void; layout?: (l: Layout) => void; b?: string[] }): string {
  const dir = miniWorkspace();
  const edit = <T>(file: string, f?: (value: T) => void) => {
    if (!f) return;
    const value = JSON.parse(readFileSync(join(dir, file), "utf8")) as T;
    f(value);
    writeFileSync(join(dir, file), JSON.stringify(value, null, 2));
  };
  edit("consolidate.json", change.group);
  edit("layout.json", change.layout);
  if (change.b)
    writeFileSync(
      join(dir, "ledgers/2013/b.csv"),
      ["series,voucher,date,account,amount,counterparty,text", ...change.b, ""].join("\n"),
    );
  return dir;
}

/** Runs the CLI in `dir` (so that paths in messages are relative). */
const inDir = (dir: string, ...args: string[]) => runCli(args, dir);

/** Throws unless `xml` is well-formed XML 1.0 (saxes checks every character). */
function parseXml(xml: string): void {
  const parser = new SaxesParser();
  parser.on("error", (err) => {
    throw err;
  });
  parser.write(xml).close();
}

/** B's ledger with a counterparty that names nothing, as a hostile export might write it. */
const withCounterparty = (counterparty: string) =>
  workspace({
    b: [
      "A,1,2013-04-30,6591,250.00,a,Administration april",
      "A,1,2013-04-30,2440,-250.00,a,Administration april",
      "B,1,2013-06-30,1930,900.50,,Försäljning juni",
      `B,1,2013-06-30,3010,-900.50,"${counterparty}",Försäljning juni`,
    ],
  });

describe("item 9: exports stay well-formed whatever the texts hold", () => {
  it("a workbook from names with U+FFFE, U+FFFF and a lone surrogate opens (exceljs reads it back)", async () => {
    const dir = workspace({
      group: (g) => {
        g.name = "Testförbundet\ufffe";
        g.entities[0]!.name = "Enhet\uffff A";
        g.entities[1]!.name = "Enhet B\ud800";
      },
      layout: (l) => (l.statements[0]!.rows[0]!.label = "Verksamhetens\u0001 intäkter\udc00"),
    });
    const r = await inDir(dir, "2013", "--dir", ".", "--out", "r.xlsx");
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, "r.xlsx"));
    expect(book.worksheets.map((s) => s.name)).toEqual(["Koncernen", "Enhet A", "Enhet B", "Interna poster", "Indata"]);
    const group = book.getWorksheet("Koncernen")!;
    expect(group.getCell("A1").value).toBe("Testförbundet\ufffd");
    expect(group.getCell("A5").value).toBe("Verksamhetens\ufffd intäkter\ufffd");
    expect(book.getWorksheet("Enhet A")!.getCell("A1").value).toBe("Testförbundet\ufffd, Enhet\ufffd A");
    expect(book.getWorksheet("Interna poster")!.getCell("A3").value).toBe("Enhet\ufffd A");
    expect(book.getWorksheet("Interna poster")!.getCell("B3").value).toBe("Enhet B\ufffd");
  });

  it("JUnit XML quoting U+FFFE and U+FFFF is well-formed", async () => {
    const r = await inDir(withCounterparty("x\ufffe\uffff"), "check", "--dir", ".", "--format", "junit");
    expect(r.code).toBe(1);
    noTrace(r);
    expect(() => parseXml(r.stdout)).not.toThrow();
    expect(r.stdout).toContain(
      `<failure message="counterparty 'x\\ufffe\\uffff' names no entity or member of the group" type="E-COUNTERPARTY-UNKNOWN">`,
    );
  });

  it("Markdown: a label with a line break, a pipe and HTML stays one table row, shown as written", async () => {
    const dir = workspace({
      layout: (l) => (l.statements[0]!.rows[0]!.label = "Verksamhetens\nintäkter | <script>alert(1)</script> *x*"),
      group: (g) => (g.entities[0]!.name = "Enhet <b>A</b>"),
    });
    const r = await inDir(dir, "2013", "--dir", ".", "--format", "md", "--unit", "kr");
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).not.toContain("<script>");
    expect(r.stdout).not.toContain("<b>");
    expect(r.stdout.split("\n").slice(0, 10)).toEqual([
      "## Testförbundet: Resultaträkning 2013",
      "",
      "| Belopp i kr | 2013 |",
      "| :-- | --: |",
      "| Verksamhetens\\\\nintäkter \\| &lt;script&gt;alert(1)&lt;/script&gt; \\*x\\* | 901 |",
      "| Verksamhetens kostnader | −400 |",
      "| Medlemsavgifter | 1\u00a0000 |",
      "| **Årets resultat** | **1\u00a0501** |",
      "",
      "## Testförbundet, Enhet &lt;b&gt;A&lt;/b&gt;: Resultaträkning 2013",
    ]);
  });

  it("an internal kind named `constructor` is printed by its name", async () => {
    const dir = workspace({
      group: (g) =>
        (g.internal.kinds = [
          { id: "constructor", label: "administration", accounts: ["3590", "6591"], differenceAccount: "3999" },
        ]),
    });
    const text = await inDir(dir, "2013", "--dir", ".");
    expect([text.code, text.stderr]).toEqual([0, ""]);
    expect(text.stdout).toContain(
      "\nEnhet A → Enhet B  constructor  2013          −250,00          250,00       0,00\n",
    );
    const md = await inDir(dir, "2013", "--dir", ".", "--format", "md");
    expect(md.stdout).toContain("\n| Enhet A → Enhet B | constructor | 2013 | −250,00 | 250,00 | 0,00 |\n");
  });
});

/** Control characters printed as they are, but for line ends: ESC, U+2028, bidi controls… */
const rawControls = (text: string) =>
  [...text].filter((c) => c !== "\n" && /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(c));

/** Every line a CI log would run as a workflow command: `::` at the start, `##[` anywhere. */
const commandLines = (text: string) => text.split("\n").filter((l) => /^\s*::|##\[/.test(l));

describe("item 11: no input value starts a workflow command or reaches the terminal raw", () => {
  // A counterparty that ends the line, starts an annotation, a legacy command, clears the screen
  // and reverses the text after it.
  const hostile = "\x1b[2Jx\u202e\n::error file=a.csv,line=1::pwned ##[warning]legacy";

  it("check, text: the value is shown on one line with its control characters visible", async () => {
    const r = await inDir(withCounterparty(hostile), "check", "--dir", ".");
    expect(r.code).toBe(1);
    noTrace(r);
    expect(r.stdout).toBe(
      [
        "ledgers/2013/b.csv:5:29: error E-COUNTERPARTY-UNKNOWN: counterparty '\\x1b[2Jx\\u202e\\n::error file=a.csv,line=1::pwned ##\\x5bwarning]legacy' names no entity or member of the group",
        "  |",
        '5 | B,1,2013-06-30,3010,-900.50,"\\x1b[2Jx\\u202e',
        "  |                             ^",
        "hint: A counterparty is another entity's id (an internal item) or a member's code from consolidate.json.",
        "",
        "1 error(s), 0 warning(s)",
        "",
      ].join("\n"),
    );
    expect(commandLines(r.stdout + r.stderr)).toEqual([]);
    expect(rawControls(r.stdout)).toEqual([]);
  });

  it("check, github: one annotation, the value's line break and controls escaped", async () => {
    const r = await inDir(withCounterparty(hostile), "check", "--dir", ".", "--format", "github");
    expect(r.code).toBe(1);
    noTrace(r);
    expect(r.stdout).toBe(
      "::error file=ledgers/2013/b.csv,line=5,col=29,title=E-COUNTERPARTY-UNKNOWN::counterparty '\\x1b[2Jx\\u202e\\n::error file=a.csv,line=1::pwned ##\\x5bwarning]legacy' names no entity or member of the group%0AA counterparty is another entity's id (an internal item) or a member's code from consolidate.json.\n",
    );
  });

  it("check, github: a path's : , % and line break are escaped in the property, so it cannot end the properties", async () => {
    const parent = mkdtempSync(join(tmpdir(), "consolidate-gh-"));
    const name = "w:1,2%3\n::x";
    cpSync(withCounterparty("x"), join(parent, name), { recursive: true });
    const r = await inDir(parent, "check", "--dir", name, "--format", "github");
    expect(r.code).toBe(1);
    noTrace(r);
    expect(r.stdout).toBe(
      "::error file=w%3A1%2C2%253\\n%3A%3Ax/ledgers/2013/b.csv,line=5,col=29,title=E-COUNTERPARTY-UNKNOWN::counterparty 'x' names no entity or member of the group%0AA counterparty is another entity's id (an internal item) or a member's code from consolidate.json.\n",
    );
  });

  it("check, junit: the value is shown with its control characters visible", async () => {
    const r = await inDir(withCounterparty(hostile), "check", "--dir", ".", "--format", "junit");
    expect(r.code).toBe(1);
    noTrace(r);
    expect(() => parseXml(r.stdout)).not.toThrow();
    expect(r.stdout).toContain(
      `<failure message="counterparty '\\x1b[2Jx\\u202e\\n::error file=a.csv,line=1::pwned ##\\x5bwarning]legacy' names no entity or member of the group" type="E-COUNTERPARTY-UNKNOWN">`,
    );
    expect(rawControls(r.stdout)).toEqual([]);
  });

  it("the statements, text and Markdown: names and labels with controls and commands are shown visibly", async () => {
    const dir = workspace({
      group: (g) => {
        g.name = "::error::pwned";
        g.entities[0]!.name = "Enhet\x1b[2J A";
        g.entities[1]!.name = "  ::warning::B";
      },
      layout: (l) => (l.statements[0]!.rows[0]!.label = "Intäkter\u2028##[error]x\u0085\u2066"),
    });
    const text = await inDir(dir, "2013", "--dir", ".", "--unit", "kr");
    expect([text.code, text.stderr]).toEqual([0, ""]);
    expect(text.stdout.split("\n").slice(0, 22)).toEqual([
      "\\x3a:error::pwned",
      "Resultaträkning 2013, belopp i kr",
      "",
      "                                            2013",
      "Intäkter\\u2028##\\x5berror]x\\x85\\u2066        901",
      "Verksamhetens kostnader                     −400",
      "Medlemsavgifter                            1\u00a0000",
      "",
      "Årets resultat                             1\u00a0501",
      "",
      "\\x3a:error::pwned, Enhet\\x1b[2J A",
      "Resultaträkning 2013, belopp i kr",
      "",
      "                                            2013",
      "Intäkter\\u2028##\\x5berror]x\\x85\\u2066        250",
      "Verksamhetens kostnader                     −400",
      "Medlemsavgifter                            1\u00a0000",
      "",
      "Årets resultat                               850",
      "",
      "\\x3a:error::pwned,   ::warning::B",
      "Resultaträkning 2013, belopp i kr",
    ]);
    expect(text.stdout).toContain("\nEnhet\\x1b[2J A →   \\x3a:warning::B  balans    2013");
    expect(commandLines(text.stdout)).toEqual([]);
    expect(rawControls(text.stdout)).toEqual([]);
    const md = await inDir(dir, "2013", "--dir", ".", "--format", "md");
    expect(md.stdout.split("\n")[0]).toBe("## \\\\x3a:error::pwned: Resultaträkning 2013");
    expect(md.stdout).toContain("\n| Intäkter\\\\u2028\\#\\#\\\\x5berror\\]x\\\\x85\\\\u2066 | 1 |\n");
    expect(commandLines(md.stdout)).toEqual([]);
  });

  it("the net under every output breaks each command that two safe pieces make, and changes nothing else", () => {
    // The net as first written: both searches over the whole text, whether their marks occur or not.
    const everywhere = (t: string) =>
      t.replace(/##\[/g, "##\\x5b").replace(/^([\s\u0085]*):(?=:)/gm, (_, space: string) => `${space}\\x3a`);
    const piece = fc.constantFrom(":", "::", "#", "##", "[", " ", "\n", "\u0085", "\t", "a", "å");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join("");
        expect(guardLines(text)).toBe(everywhere(text));
        expect(commandLines(guardLines(text))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("renderJson: amounts as exact kronor, BigInt left as it was found", () => {
  const report = { values: [123456n, -5n, 0n], nested: { amount: -100000000000000000001n } };
  const expected =
    '{\n  "values": [\n    "1234.56",\n    "-0.05",\n    "0.00"\n  ],\n  "nested": {\n    "amount": "-1000000000000000000.01"\n  }\n}\n';

  it("writes every bigint as a two-decimal string and lends BigInt no toJSON beyond the call", () => {
    expect(textOf(renderJson(report))).toBe(expected);
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, "toJSON")).toBeUndefined();
  });

  it("made in pieces, is the text JSON.stringify gives, whatever the data's shape and size", () => {
    // Members left out by JSON (undefined, functions), dates (a toJSON of their own), empty and long
    // lists at every depth the pieces are cut at, and bigints as kronor.
    const leaf = fc.oneof(
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constant(() => 1),
      fc.bigInt(),
      fc.date({ noInvalidDate: true }),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, leaf, tie("list"), tie("object")),
      list: fc.oneof(fc.array(tie("value"), { maxLength: 4 }), fc.array(leaf, { minLength: 50, maxLength: 400 })),
      object: fc.dictionary(fc.string(), tie("value"), { maxKeys: 5 }),
    }));
    const toKronor = (_: string, v: unknown) => (typeof v === "bigint" ? formatKronor(v) : v);
    fc.assert(
      fc.property(fc.oneof(value, fc.dictionary(fc.string(), value)), (data) => {
        const report = typeof data === "object" && data !== null ? data : { data };
        expect(textOf(renderJson(report))).toBe(`${JSON.stringify(report, toKronor, 2)}\n`);
      }),
      { numRuns: 500 },
    );
    const long = { statements: Array.from({ length: 3000 }, (_, i) => ({ id: `s${i}`, values: [BigInt(i) * 101n] })) };
    expect(textOf(renderJson(long))).toBe(`${JSON.stringify(long, toKronor, 2)}\n`);
  });

  it("puts back a toJSON of the process's own, also when the report cannot be written", () => {
    const own = { value: () => "own", writable: true, configurable: true, enumerable: false };
    Object.defineProperty(BigInt.prototype, "toJSON", own);
    try {
      expect(textOf(renderJson(report))).toBe(expected);
      expect(Object.getOwnPropertyDescriptor(BigInt.prototype, "toJSON")).toEqual(own);
      const circular: Record<string, unknown> = { amount: 1n };
      circular.self = circular;
      expect(() => textOf(renderJson(circular))).toThrow(TypeError);
      expect(Object.getOwnPropertyDescriptor(BigInt.prototype, "toJSON")).toEqual(own);
    } finally {
      delete (BigInt.prototype as { toJSON?: unknown }).toJSON;
    }
  });
});

/** The text report of the mini workspace, as standard output gets it. */
async function miniText(): Promise<string> {
  const r = await runCli(["2013", "--dir", join(ROOT, "fixtures", "mini")]);
  expect(r.code).toBe(0);
  return r.stdout;
}

const mode = (file: string) => statSync(file).mode & 0o777;
/** The folder's entries but the workspace's own, sorted: a temporary file left behind shows here. */
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("."));

describe("item 12: --out writes through links and into special files, keeps permissions, leaves nothing behind", () => {
  const mini = join(ROOT, "fixtures", "mini");

  it("a symbolic link is written through: the file it names is replaced, the link stays", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    writeFileSync(join(dir, "real.txt"), "old");
    chmodSync(join(dir, "real.txt"), 0o640);
    symlinkSync("real.txt", join(dir, "link.txt"));
    const r = await runCli(["2013", "--dir", mini, "--out", join(dir, "link.txt")]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
    noTrace(r);
    expect(lstatSync(join(dir, "link.txt")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "link.txt"))).toBe("real.txt");
    expect(readFileSync(join(dir, "real.txt"), "utf8")).toBe(await miniText());
    expect(mode(join(dir, "real.txt"))).toBe(0o640);
    expect(leftovers(dir)).toEqual([]);
  });

  it("an existing 0600 report stays 0600; a new file is made with the usual permissions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    writeFileSync(join(dir, "report.json"), "{}");
    chmodSync(join(dir, "report.json"), 0o600);
    const r = await runCli(["2013", "--dir", mini, "--out", join(dir, "report.json")]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
    expect(mode(join(dir, "report.json"))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))).toHaveProperty("statements");
    const fresh = await runCli(["2013", "--dir", mini, "--out", join(dir, "new.json")]);
    expect(fresh.code).toBe(0);
    expect(mode(join(dir, "new.json"))).toBe(0o666 & ~process.umask());
    expect(leftovers(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)("as root, the report keeps its owner and group", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    writeFileSync(join(dir, "report.md"), "");
    chownSync(join(dir, "report.md"), 1234, 2345);
    const r = await runCli(["2013", "--dir", mini, "--out", join(dir, "report.md")]);
    expect(r.code).toBe(0);
    const st = statSync(join(dir, "report.md"));
    expect([st.uid, st.gid]).toEqual([1234, 2345]);
  });

  it("a text made as it is written goes into the file a piece at a time; a fault in making it removes the file begun", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    // Pieces past the buffer's 64 kB, with characters of two, three and four bytes across its edges.
    const pieces = Array.from(
      { length: 400 },
      (_, i) => `${i}: Skärm 24" – ${"€".repeat(i % 7)}𝄞 ${"x".repeat(700)}\n`,
    );
    await writeAtomically(join(dir, "report.txt"), { stream: (put) => pieces.forEach(put) });
    expect(readFileSync(join(dir, "report.txt"), "utf8")).toBe(pieces.join(""));
    const fault = new TypeError("a renderer's fault");
    const failing = {
      stream(put: (piece: string) => void) {
        pieces.forEach(put);
        throw fault;
      },
    };
    // The program's own fault, not the file's: said as it is (exit 3), and nothing left behind.
    await expect(writeAtomically(join(dir, "other.txt"), failing)).rejects.toBe(fault);
    await expect(writeAtomically(join(dir, "report.txt"), failing)).rejects.toBe(fault);
    expect(readFileSync(join(dir, "report.txt"), "utf8")).toBe(pieces.join(""));
    expect(leftovers(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual(["report.txt"]);
    // A fault of the file's (a folder where the file goes) is an OutputError, as for a text made whole.
    mkdirSync(join(dir, "folder"));
    await expect(writeAtomically(join(dir, "folder"), { stream: (put) => put("x") })).rejects.toBeInstanceOf(
      OutputError,
    );
  });

  it("a FIFO is written into, not replaced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    const fifo = join(dir, "report.txt");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (b: Buffer) => (read += b.toString("utf8")));
    const readerDone = new Promise<void>((done) => reader.on("close", () => done()));
    const r = await runCli(["2013", "--dir", mini, "--out", fifo]);
    // An old build renamed a file over the FIFO, and the reader would wait for ever.
    const timer = setTimeout(() => reader.kill(), 5000);
    await readerDone;
    clearTimeout(timer);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(read).toBe(await miniText());
    expect(leftovers(dir)).toEqual([]);
  });

  it("a link to /dev/stdout writes to standard output, and the link stays", async () => {
    // The same path as `--out /dev/stdout`, which an old build, run as root, replaced by a file.
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    symlinkSync("/dev/stdout", join(dir, "out.txt"));
    const r = await runCli(["2013", "--dir", mini, "--out", join(dir, "out.txt")]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(await miniText());
    expect(readlinkSync(join(dir, "out.txt"))).toBe("/dev/stdout");
    expect(leftovers(dir)).toEqual([]);
  });

  it("--out /dev/stdout writes to standard output", async () => {
    const r = await runCli(["2013", "--dir", mini, "--out", "/dev/stdout"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(await miniText());
    expect(lstatSync("/dev/stdout").isSymbolicLink()).toBe(true);
  });

  /**
   * Writes `report.txt` in a fresh folder with a write that never ends (fs.promises.open is
   * wrapped: the temporary file's content hangs, its handle kept from the garbage collector as a
   * pending write would keep it), interrupts it with `signal` once the temporary file exists, and
   * returns the exit code and what the folder holds then.
   */
  async function interrupt(
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; during: string[]; after: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-signal-"));
    const script = join(dir, "..", `${dir.split("/").pop()}-write.mjs`);
    writeFileSync(
      script,
      `import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
const open = fsp.open;
const held = []; // a real write holds its handle until it ends; a promise that never settles holds nothing
fsp.open = async (...args) => {
  const handle = await open(...args);
  held.push(handle);
  if (String(args[0]).endsWith(".tmp"))
    handle.writeFile = () => { process.stdout.write("writing\\n"); return new Promise(() => {}); };
  return handle;
};
syncBuiltinESMExports();
setInterval(() => {}, 1000);
const { writeAtomically } = await import(${JSON.stringify(join(ROOT, "dist", "cli", "output.js"))});
await writeAtomically(${JSON.stringify(join(dir, "report.txt"))}, "the report");
process.exit(0);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    await new Promise<void>((ready) => {
      child.stdout.on("data", (b: Buffer) => b.toString().includes("writing") && ready());
      setTimeout(ready, 5000);
    });
    const during = readdirSync(dir);
    child.kill(signal);
    const code = await exited;
    expect(stderr).toBe("");
    return { code, during, after: readdirSync(dir) };
  }

  it("SIGTERM while writing: the temporary file is removed, exit 143", async () => {
    const { code, during, after } = await interrupt("SIGTERM");
    expect(during).toEqual([expect.stringMatching(/^\.report\.txt\.[0-9a-f]{12}\.tmp$/)]);
    expect([code, after]).toEqual([143, []]);
  });

  it("SIGINT (Ctrl-C) while writing: the temporary file is removed, exit 130", async () => {
    const { code, during, after } = await interrupt("SIGINT");
    expect(during).toHaveLength(1);
    expect([code, after]).toEqual([130, []]);
  });
});

/** Runs `node script.mjs` (in the repository) and returns what it printed and its exit code. */
function runScript(source: string, args: readonly string[] = []): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-script-"));
  const file = join(dir, "run.mjs");
  writeFileSync(file, source);
  return new Promise((done) =>
    execFile(
      process.execPath,
      [file, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const MAIN = JSON.stringify(join(ROOT, "dist", "cli", "main.js"));

describe("item 15: the process's own failures are clean", () => {
  it("workbook sheets for entities named History, 'B', with : / ? * [ ] or over 31 characters are valid and unique", async () => {
    const names = async (a: string, b: string) => {
      const dir = workspace({ group: (g) => ((g.entities[0]!.name = a), (g.entities[1]!.name = b)) });
      const r = await inDir(dir, "2013", "--dir", ".", "--out", "r.xlsx");
      expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
      noTrace(r);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(join(dir, "r.xlsx"));
      return book.worksheets.map((s) => s.name);
    };
    expect(await names("History", "'B'")).toEqual(["Koncernen", "History 2", "’B’", "Interna poster", "Indata"]);
    expect(await names("a/b:c*?[x]\\y", "Kommunalförbundet för gemensamma tjänster i Sjuhärad")).toEqual([
      "Koncernen",
      "a b c x y",
      "Kommunalförbundet för gemensamm",
      "Interna poster",
      "Indata",
    ]);
    expect(await names("KONCERNEN", "  'history'  ")).toEqual([
      "Koncernen",
      "KONCERNEN 2",
      "’history’",
      "Interna poster",
      "Indata",
    ]);
  });

  it.skipIf(!existsSync("/dev/full"))("a full disk on standard output: one line, exit 2", async () => {
    const full = openSync("/dev/full", "w");
    try {
      for (const args of [
        ["check", "--dir", "fixtures/mini"],
        ["2013", "--dir", "fixtures/mini"],
        ["2013", "--dir", "fixtures/mini", "--format", "xlsx"],
      ]) {
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", full, "pipe"] });
        expect([r.status, r.stderr.toString()]).toEqual([
          2,
          "error: cannot write to standard output: the disk is full\n",
        ]);
      }
    } finally {
      closeSync(full);
    }
  });

  it("a report written into a file is the report a pipe gets, byte for byte, also when made in many pieces", () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-stdout-"));
    // 150 units: a JSON report of about 240 kB and a text of 57 kB, made and written in many pieces.
    const generated = join(dir, "generated");
    const made = spawnSync(process.execPath, ["test/bench/generate.mjs", generated, "30000", "150", "--csv-only"], {
      cwd: ROOT,
    });
    expect(made.status).toBe(0);
    for (const [workspace, year, least] of [
      ["fixtures/sjuharad", "2013", 10_000],
      [generated, "2025", 50_000],
    ] as const)
      for (const format of ["json", "text"]) {
        const args = [BIN, year, "--dir", workspace, "--format", format];
        const piped = spawnSync(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 24 });
        const file = join(dir, `report.${format}`);
        const fd = openSync(file, "w");
        try {
          expect(spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", fd, "pipe"] }).status).toBe(0);
        } finally {
          closeSync(fd);
        }
        expect(piped.stdout.length).toBeGreaterThan(least);
        expect(readFileSync(file).equals(piped.stdout)).toBe(true);
        if (format === "json") expect(JSON.parse(piped.stdout.toString("utf8")).statements.length).toBeGreaterThan(1);
      }
  });

  it("a text written in pieces is its UTF-8, whatever characters fall on the pieces' edges", () => {
    const file = join(mkdtempSync(join(tmpdir(), "consolidate-pieces-")), "text");
    const char = fc.constantFrom("a", "å", "€", "😀", "\ud800", "\udc00", "\n");
    const text = fc.array(fc.oneof(char, fc.string()), { maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 33 }), (t, bytes) => {
        const fd = openSync(file, "w");
        try {
          const sink = new Utf8Sink(fd, new Uint8Array(bytes));
          sink.put(t);
          sink.flush();
        } finally {
          closeSync(fd);
        }
        expect(readFileSync(file).equals(Buffer.from(t))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const failingStdout = `import { main } from ${MAIN};
process.stdout.write = () => { throw new TypeError("Cannot read properties of undefined (reading 'rows')"); };
process.exitCode = await main(process.argv.slice(2));
`;

  it("an internal error: one line, exit 3, no stack trace", async () => {
    const r = await runScript(failingStdout, ["check", "--dir", "fixtures/mini"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      3,
      "",
      "internal error, please report: Cannot read properties of undefined (reading 'rows')\n",
    ]);
    noTrace(r);
  });

  it("an internal error with --debug: the line, then the stack trace", async () => {
    const r = await runScript(failingStdout, ["check", "--dir", "fixtures/mini", "--debug"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^internal error, please report: Cannot read properties of undefined \(reading 'rows'\)\nTypeError: Cannot read properties of undefined \(reading 'rows'\)\n {4}at /,
    );
  });

  it("an error thrown outside the command's course (a timer) is an internal error too", async () => {
    const r = await runScript(
      `import { main } from ${MAIN};
setTimeout(() => { throw new RangeError("from a timer"); }, 0);
process.exitCode = await main(["check", "--dir", "fixtures/sjuharad"]);
`,
    );
    // The check may have written its summary by then: it need not let the event loop turn before.
    expect([r.code, r.stderr]).toEqual([3, "internal error, please report: from a timer\n"]);
  });

  it("--debug is a global option, before or after the command; the help names exit code 3", async () => {
    for (const args of [
      ["--debug", "check", "--dir", "fixtures/mini"],
      ["check", "--dir", "fixtures/mini", "--debug"],
      ["2013", "--debug", "--dir", "fixtures/mini", "--format", "json"],
    ]) {
      const r = await runCli(args);
      expect([args, r.code, r.stderr]).toEqual([args, 0, ""]);
    }
    for (const command of ["report", "check", "fees", "init"]) {
      const help = await runCli([command, "--help"]);
      expect(help.stdout).toContain(
        "\n  3  an internal error of the tool (please report it); --debug adds the stack trace\n",
      );
    }
    expect((await runCli(["--help"])).stdout).toContain("--debug");
  });
});
