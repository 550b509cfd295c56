import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

/**
 * fixtures/kommunkoncern, the example kommunkoncern (issue 15): the data's own consistency only,
 * not the tool. Its SIE files balance; generate.mjs writes them, and group.json, byte for byte;
 * expected.mjs, the independent calculation, writes expected.json byte for byte.
 */
const DIR = join(ROOT, "fixtures", "kommunkoncern");
const run = promisify(execFile);
const temp = mkdtempSync(join(tmpdir(), "kommunkoncern-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Every file under a folder, as paths relative to it, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
const SIE = files(join(DIR, "sie")).map((f) => join("sie", f));

/** "-1234.50" in öre. */
function ore(amount: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!m) throw new Error(`not an amount: ${amount}`);
  const v = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -v : v;
}
const add = (map: Map<string, bigint>, key: string, v: bigint) => map.set(key, (map.get(key) ?? 0n) + v);
/** The counterparty part of an object list (the kommun's ansvar, dimension 1, left out). */
const counterpartyObjects = (objs: string) =>
  (objs.match(/\S+ \S+/g) ?? []).filter((p) => !p.startsWith("1 ")).join(" ");

interface Sie {
  lines: string[];
  vouchers: { at: number; sum: bigint }[];
  movement: Map<string, bigint>; // account → the vouchers' sum
  objectMovement: Map<string, bigint>; // account|objects → the vouchers' sum
  balances: Map<string, bigint>; // "IB 0 1930", "OUB 0 1510 {20 51}", "RES -1 3010" …
}
function readSie(path: string): Sie {
  // The files are CP437; everything parsed here is ASCII, so latin1 keeps it byte for byte.
  const lines = readFileSync(join(DIR, path), "latin1").split("\r\n");
  const sie: Sie = { lines, vouchers: [], movement: new Map(), objectMovement: new Map(), balances: new Map() };
  lines.forEach((line, i) => {
    let m: RegExpExecArray | null;
    if (line.startsWith("#VER ")) sie.vouchers.push({ at: i + 1, sum: 0n });
    else if ((m = /^\s+#TRANS (\d+) \{([^}]*)\} (-?\d+\.\d{2})$/.exec(line))) {
      const v = ore(m[3]!);
      sie.vouchers[sie.vouchers.length - 1]!.sum += v;
      add(sie.movement, m[1]!, v);
      const objs = counterpartyObjects(m[2]!);
      if (objs) add(sie.objectMovement, `${m[1]!}|${objs}`, v);
    } else if ((m = /^#(IB|UB|RES) (0|-1) (\d+) (-?\d+\.\d{2})$/.exec(line)))
      sie.balances.set(`${m[1]!} ${m[2]!} ${m[3]!}`, ore(m[4]!));
    else if ((m = /^#(OIB|OUB) (0|-1) (\d+) \{([^}]*)\} (-?\d+\.\d{2})$/.exec(line)))
      sie.balances.set(`${m[1]!} ${m[2]!} ${m[3]!}|${m[4]!}`, ore(m[5]!));
  });
  return sie;
}
const at = (sie: Sie, key: string) => sie.balances.get(key) ?? 0n;

describe("fixtures/kommunkoncern: the example kommunkoncern's data", () => {
  it("has one SIE 4 file per entity and year, a few hundred vouchers in all", () => {
    expect(SIE).toEqual(
      ["2023", "2024"].flatMap((y) => ["bostad", "energi", "kommunen", "rtj"].map((e) => join("sie", y, `${e}.se`))),
    );
    const vouchers = SIE.reduce((n, f) => n + readSie(f).vouchers.length, 0);
    expect(vouchers).toBeGreaterThan(200);
    expect(vouchers).toBeLessThan(600);
  });

  it.each(SIE)("%s: every voucher balances, IB + vouchers = UB, #RES and #OIB/#OUB agree", (path) => {
    const sie = readSie(path);
    expect(sie.lines[0]).toBe("#KSUMMA");
    expect(sie.lines.at(-2)).toMatch(/^#KSUMMA \d+$/);
    expect(sie.lines.at(-1)).toBe("");
    expect(sie.vouchers.filter((v) => v.sum !== 0n)).toEqual([]);
    const accounts = new Set([...sie.movement.keys()]);
    for (const key of sie.balances.keys()) {
      const [label, index, account] = key.split(/[ |]/);
      if (index === "0" && (label === "IB" || label === "UB" || label === "RES")) accounts.add(account!);
    }
    for (const account of accounts) {
      const moved = sie.movement.get(account) ?? 0n;
      if (account >= "3000") expect([account, at(sie, `RES 0 ${account}`)]).toEqual([account, moved]);
      else expect([account, at(sie, `IB 0 ${account}`) + moved]).toEqual([account, at(sie, `UB 0 ${account}`)]);
    }
    const objectKeys = new Set<string>([...sie.objectMovement.keys()].filter((k) => k.split("|")[0]! < "3000"));
    for (const key of sie.balances.keys())
      if (/^O(IB|UB) 0 /.test(key)) objectKeys.add(key.replace(/^O(IB|UB) 0 /, ""));
    for (const key of objectKeys)
      expect([key, at(sie, `OIB 0 ${key}`) + (sie.objectMovement.get(key) ?? 0n)]).toEqual([
        key,
        at(sie, `OUB 0 ${key}`),
      ]);
    // The opening balance sheet balances: the prior year's result is booked into equity.
    const opening = [...sie.balances].filter(([k]) => k.startsWith("IB 0 ")).reduce((s, [, v]) => s + v, 0n);
    expect(opening).toBe(0n);
  });

  it.each(["bostad", "energi", "kommunen", "rtj"])(
    "%s: 2024 opens where 2023 closed, and carries 2023 as its #RAR -1 balances",
    (entity) => {
      const before = readSie(join("sie", "2023", `${entity}.se`));
      const now = readSie(join("sie", "2024", `${entity}.se`));
      const year = (sie: Sie, index: string) =>
        sie.lines
          .filter((l) => new RegExp(`^#(IB|UB|OIB|OUB|RES|PSALDO) ${index} `).test(l))
          .map((l) => l.replace(` ${index} `, " "));
      expect(year(now, "-1")).toEqual(year(before, "0"));
      const result = [...before.balances].filter(([k]) => k.startsWith("RES 0 ")).reduce((s, [, v]) => s + v, 0n);
      const equity = (sie: Sie, label: string) =>
        [...sie.balances].filter(([k]) => new RegExp(`^${label} 0 20\\d\\d$`).test(k)).reduce((s, [, v]) => s + v, 0n);
      expect(equity(now, "IB")).toBe(equity(before, "UB") + result);
      for (const [key, v] of before.balances) {
        const m = /^UB 0 (\d+)$/.exec(key);
        if (m && !m[1]!.startsWith("20")) expect([m[1], at(now, `IB 0 ${m[1]!}`)]).toEqual([m[1], v]);
      }
    },
  );

  it("generate.mjs writes the committed SIE files and group.json byte for byte", async () => {
    const out = join(temp, "generated");
    await run(process.execPath, [join(DIR, "generate.mjs"), "--out", out]);
    expect(files(out)).toEqual(["group.json", ...SIE]);
    for (const f of files(out))
      expect([f, readFileSync(join(out, f)).equals(readFileSync(join(DIR, f)))]).toEqual([f, true]);
  });

  it("expected.mjs, the independent calculation, reproduces expected.json byte for byte", async () => {
    const out = join(temp, "expected.json");
    await run(process.execPath, [join(DIR, "expected.mjs"), "--dir", DIR, "--out", out]);
    expect(readFileSync(out).equals(readFileSync(join(DIR, "expected.json")))).toBe(true);
    interface Year {
      matrix: { totals: Record<string, string> };
      bridges: { equity: { closing: { holds: boolean } }; result: { holds: boolean } };
    }
    const expected = JSON.parse(readFileSync(out, "utf8")) as { years: Record<string, Year> };
    expect(Object.keys(expected.years)).toEqual(["2023", "2024"]);
    for (const y of Object.values(expected.years)) {
      expect(new Set(Object.values(y.matrix.totals))).toEqual(new Set(["0.00"]));
      expect([y.bridges.equity.closing.holds, y.bridges.result.holds]).toEqual([true, true]);
    }
  });
});
