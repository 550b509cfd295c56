import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { crc32 } from "node:zlib";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { SieChecksum, type SieChecksumEncoding } from "../src/read/sie-checksum.js";
import { detectEncoding, tokenize } from "../src/read/sie.js";
import { ROOT, sharedCorpus } from "./helpers.js";

/** The checksum a SIE text declares and the one its records give, via the reader's tokeniser. */
function check(text: string, encoding: SieChecksumEncoding) {
  const sum = new SieChecksum(encoding);
  let open = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === "") continue;
    const t = tokenize(line.replace(/^\uFEFF/, ""));
    if ("problem" in t) throw new Error(`${t.problem}: ${line}`);
    if (t.label === "#KSUMMA") {
      if (!open) {
        open = true;
        continue;
      }
      const declared = t.fields[0];
      return { declared, computed: sum.value, matches: typeof declared === "string" && sum.matches(declared) };
    }
    if (open) sum.addRecord(t.label, t.fields);
  }
  throw new Error(open ? "no closing #KSUMMA" : "no opening #KSUMMA");
}

describe("#KSUMMA, a file built here", () => {
  // Tabs, double blanks, quoted and escaped fields, an object list and a voucher's braces.
  const body = [
    '#PROGRAM "Ekonomi \\"Plus\\"" 4.2',
    "#FORMAT\tPC8",
    '#KONTO 1930 "Bank på Årsta"',
    '#VER A 1 20130510 "Hyra maj"',
    "{",
    '\t#TRANS 5010\t{1 "100" 20  b}  400.00',
    "\t#TRANS 1930 {} -400.00",
    "}",
  ];
  // What SIE 4B 10.14 sums, written out by hand in code page 437 (å 0x86, Å 0x8F).
  const bytes = Buffer.concat([
    Buffer.from('#PROGRAMEkonomi "Plus"4.2#FORMATPC8#KONTO1930Bank p', "latin1"),
    Buffer.from([0x86, 0x20, 0x8f]),
    Buffer.from("rsta#VERA120130510Hyra maj#TRANS5010110020b400.00#TRANS1930-400.00", "latin1"),
  ]);
  const expected = 645677433;

  it("is the CRC-32 of labels and field contents in CP437", () => {
    expect(crc32(bytes)).toBe(expected);
    const text = ["#FLAGGA 0", "#KSUMMA", ...body, `#KSUMMA ${expected}`].join("\r\n");
    expect(check(text, "cp437")).toEqual({ declared: String(expected), computed: expected, matches: true });
  });

  it("counts an escaped quote as the quote alone (the spec's example, 10.15)", () => {
    const sum = new SieChecksum("cp437");
    const t = tokenize('#KONTO 1915 "Kassa \\"special\\""');
    if ("problem" in t) throw new Error(t.problem);
    sum.addRecord(t.label, t.fields);
    expect(sum.value).toBe(crc32(Buffer.from('#KONTO1915Kassa "special"', "latin1")));
  });

  it("takes a file in another encoding over its own bytes", () => {
    const utf8 = Buffer.from(bytes.toString("latin1").replace("p\x86 \x8f", "på Å"), "utf8");
    const text = ["#KSUMMA", ...body, `#KSUMMA ${crc32(utf8)}`].join("\n");
    expect(check(text, "utf8").matches).toBe(true);
    expect(check(text, "cp437").matches).toBe(false);
  });

  it("accepts the sum printed as a signed number, and refuses a changed file", () => {
    const sum = new SieChecksum("cp437");
    sum.addRecord("#TRANS", ["1930", { objects: [] }, "400.00"]);
    const signed = String(sum.value | 0);
    expect(sum.value).toBe(3958807348); // above 2³¹: negative when printed signed
    expect(sum.matches(signed)).toBe(true);
    expect(sum.matches(String(sum.value))).toBe(true);
    expect(sum.matches(String(sum.value + 1))).toBe(false);
    expect(sum.matches("x")).toBe(false);
    const text = ["#KSUMMA", ...body, `#KSUMMA ${expected}`].join("\r\n").replace("400.00", "400.0");
    expect(check(text, "cp437").matches).toBe(false);
  });
});

describe("#KSUMMA of the fixtures fixtures/sie-writer.mjs wrote", () => {
  const sie = join(ROOT, "fixtures", "sie");
  const sjuharad = join(ROOT, "fixtures", "sjuharad", "sie");
  const files = [
    ...readdirSync(sie, { withFileTypes: true })
      // syntax holds a line no reader can split; quote-unclosed is written without a sum
      .filter((e) => e.isDirectory() && e.name !== "syntax" && e.name !== "quote-unclosed")
      .map((e) => join(sie, e.name, "a.se")),
    ...readdirSync(sjuharad).flatMap((year) => readdirSync(join(sjuharad, year)).map((f) => join(sjuharad, year, f))),
  ];

  it.each(files.map((f) => [relative(ROOT, f), f]))("%s", (_, file) => {
    const bytes = readFileSync(file);
    const encoding = detectEncoding(bytes);
    const result = check(iconv.decode(bytes, encoding), encoding);
    // wrong-checksum was changed after its sum was taken
    expect(result.matches).toBe(!file.includes("wrong-checksum"));
  });
});

const corpus = sharedCorpus();
const dir = join(corpus ?? "", "files");

describe.skipIf(!corpus)("#KSUMMA of the real files in ../shared/external-sie", () => {
  const files = corpus ? readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes("#KSUMMA")) : [];

  it("finds the files that carry a checksum", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "norstedts-bokslut-4e.se",
        "norstedts-bokslut-4i.si",
        "norstedts-revision-1.se",
        "visma-compact-4.se",
      ]),
    );
  });

  it.each(files)("%s: the computed sum is the declared one", (file) => {
    const bytes = readFileSync(join(dir, file));
    const encoding = detectEncoding(bytes);
    const result = check(iconv.decode(bytes, encoding), encoding);
    expect(String(result.computed)).toBe(result.declared);
    expect(result.matches).toBe(true);
  });
});
