import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lookUpPlainFiles, readersAhead } from "../src/start/early-readers.js";
import { miniWorkspace, runCli } from "./helpers.js";

/** A workspace folder whose years have ledgers of the given sizes in bytes (sparse files: nothing written). */
function sized(years: Record<string, number[]>): string {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-early-"));
  mkdirSync(join(dir, "ledgers"));
  const spec = Object.fromEntries(
    Object.entries(years).map(([year, sizes]) => [
      year,
      {
        ledgers: sizes.map((size, i) => {
          const path = `ledgers/${year}-${i}.csv`;
          writeFileSync(join(dir, path), "");
          truncateSync(join(dir, path), size);
          return { path };
        }),
      },
    ]),
  );
  writeFileSync(join(dir, "consolidate.json"), JSON.stringify({ years: spec }));
  return dir;
}

const MB = 1024 * 1024;

/** The threads a run is forecast to read with besides the main one, started before its code loads. */
describe("reading threads started as the process starts", () => {
  it("are forecast for a year of 16 MB of ledgers or more, one a core, at most one a file", () => {
    const large = sized({ "2025": [6 * MB, 6 * MB, 6 * MB] });
    expect(readersAhead(["2025", "--dir", large], "/", 2)).toBe(1);
    expect(readersAhead(["2025", "--dir", large], "/", 8)).toBe(2);
    expect(readersAhead(["report", "2025", "--format", "json"], large, 2)).toBe(1);
    expect(readersAhead(["check", "2025", `--dir=${large}`], "/", 2)).toBe(1);
    expect(readersAhead(["balances", "2025", "-d", large], "/", 2)).toBe(1);
    expect(readersAhead(["2025", "--dir", sized({ "2025": [15 * MB] })], "/", 2)).toBe(0);
    expect(readersAhead(["2013", "--dir", miniWorkspace()], "/", 2)).toBe(0);
  });

  it("are forecast from as many sizes as it takes to know the year is large", () => {
    const many = sized({ "2025": [6 * MB, 6 * MB, 6 * MB, 6 * MB] });
    rmSync(join(many, "ledgers", "2025-3.csv")); // not looked up: the first three make 18 MB
    expect(readersAhead(["2025", "--dir", many], "/", 2)).toBe(1);
    rmSync(join(many, "ledgers", "2025-2.csv")); // looked up, and not there: the run says so
    expect(readersAhead(["2025", "--dir", many], "/", 2)).toBe(0);
  });

  it("hand the run each ledger they found to be a plain file, with its size, but no symbolic link", () => {
    const dir = sized({ "2025": [10, 20, 30] });
    symlinkSync(join(dir, "ledgers", "2025-0.csv"), join(dir, "ledgers", "link.csv"));
    const def = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
      years: Record<string, { ledgers: { path: string }[] }>;
    };
    def.years["2025"]!.ledgers[2] = { path: "ledgers/link.csv" };
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(def));
    const plainFiles = new Map<string, number>();
    expect(readersAhead(["2025", "--dir", dir], "/", 2, plainFiles)).toBe(0);
    expect(plainFiles).toEqual(
      new Map([
        [join(dir, "ledgers", "2025-0.csv"), 10],
        [join(dir, "ledgers", "2025-1.csv"), 20],
      ]),
    );
  });

  it("leave the year's other ledgers to be looked up as they start: each plain file with its size, no link, nothing missing", () => {
    // 18 MB in the first three: the forecast looks up those, the start the rest.
    const dir = sized({ "2025": [6 * MB, 6 * MB, 6 * MB, 40, 50, 60] });
    symlinkSync(join(dir, "ledgers", "2025-3.csv"), join(dir, "ledgers", "link.csv"));
    const def = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
      years: Record<string, { ledgers: { path: string }[] }>;
    };
    def.years["2025"]!.ledgers.push({ path: "ledgers/link.csv" }, { path: "ledgers/gone.csv" });
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(def));
    const plainFiles = new Map<string, number>();
    const unlooked: string[] = [];
    expect(readersAhead(["2025", "--dir", dir], "/", 2, plainFiles, unlooked)).toBe(1);
    const ledger = (name: string) => join(dir, "ledgers", name);
    expect(unlooked).toEqual(["2025-3.csv", "2025-4.csv", "2025-5.csv", "link.csv", "gone.csv"].map(ledger));
    lookUpPlainFiles(unlooked, plainFiles);
    expect(plainFiles).toEqual(
      new Map([6 * MB, 6 * MB, 6 * MB, 40, 50, 60].map((size, i) => [ledger(`2025-${i}.csv`), size])),
    );
  });

  it("follow --jobs, whatever the size, as the run does", () => {
    const small = sized({ "2025": [10, 10, 10] });
    expect(readersAhead(["2025", "--dir", small, "--jobs", "4"], "/", 2)).toBe(2);
    expect(readersAhead(["2025", "--dir", small, "-j", "2"], "/", 2)).toBe(1);
    expect(readersAhead(["2025", "--dir", small, "--jobs=2"], "/", 2)).toBe(1);
    const large = sized({ "2025": [20 * MB, 20 * MB] });
    expect(readersAhead(["2025", "--dir", large, "--jobs", "1"], "/", 2)).toBe(0);
    // An option the run will refuse forecasts nothing.
    expect(readersAhead(["2025", "--dir", large, "--jobs", "x"], "/", 2)).toBe(0);
  });

  it("are forecast for the prior year when there is one: it is read first, and its threads kept for the year", () => {
    expect(readersAhead(["2025"], sized({ "2024": [20 * MB, 20 * MB], "2025": [10] }), 2)).toBe(1);
    expect(readersAhead(["2025"], sized({ "2024": [10], "2025": [20 * MB, 20 * MB] }), 2)).toBe(0);
  });

  it("are not forecast for any other command line, nor where the workspace cannot be read", () => {
    const large = sized({ "2025": [20 * MB, 20 * MB] });
    for (const argv of [
      ["fees", "2025", "--dir", large],
      ["explain", "2025", "resultat", "--dir", large],
      ["init", large],
      ["2025", "a.se", "b.se"],
      ["check", "--dir", large],
      ["--help"],
      [],
    ])
      expect(readersAhead(argv, large, 2)).toBe(0);
    const broken = sized({ "2025": [20 * MB, 20 * MB] });
    writeFileSync(join(broken, "consolidate.json"), "{ not json");
    expect(readersAhead(["2025"], broken, 2)).toBe(0);
    const missing = sized({ "2025": [20 * MB] });
    writeFileSync(
      join(missing, "consolidate.json"),
      JSON.stringify({ years: { "2025": { ledgers: [{ path: "gone.csv" }, { path: "ledgers/2025-0.csv" }] } } }),
    );
    expect(readersAhead(["2025"], missing, 2)).toBe(0);
    expect(readersAhead(["2025", "--dir", join(large, "nowhere")], "/", 2)).toBe(0);
  });

  it("let a run that stops before reading end at once, as if none had started", async () => {
    const broken = miniWorkspace({ "layout.json": "{" });
    const alone = await runCli(["2013", "--dir", broken, "--jobs", "1"]);
    const t = Date.now();
    const r = await runCli(["2013", "--dir", broken, "--jobs", "2"]);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(r).toEqual(alone);
    expect(r.stderr).toMatch(/layout\.json/);
  });
});
