import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, SJUHARAD } from "./helpers.js";

const INVALID = join(ROOT, "fixtures", "invalid");
const SIE = join(ROOT, "fixtures", "sie");
const casesIn = (root: string) =>
  readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, e.name))
    .sort();
const cases = [...casesIn(INVALID), ...casesIn(SIE)];
const nameOf = (dir: string) => dir.slice(ROOT.length + "/fixtures/".length);

interface Case {
  args: string[];
  exit: number;
  codes: string[];
}

describe("fixtures/invalid and fixtures/sie: one workspace per rule", () => {
  it.each(cases.map((dir) => [nameOf(dir), dir]))("%s yields exactly its expected diagnostics", async (_name, dir) => {
    const c = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
    const r = await runCli([...c.args, "--dir", ".", "--format", "json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(c.exit);
    const diagnostics = JSON.parse(r.stdout) as { code: string }[];
    expect(diagnostics.map((d) => d.code).sort()).toEqual(c.codes);
    await expect(r.stdout).toMatchFileSnapshot(join(dir, "expected.json"));
  });

  it("covers every diagnostic code the tool has", () => {
    const conventions = casesIn(join(ROOT, "fixtures", "sie-conventions"));
    const codes = new Set(
      [...cases, ...conventions].flatMap(
        (name) => (JSON.parse(readFileSync(join(name, "case.json"), "utf8")) as Case).codes,
      ),
    );
    const source = readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts"))
      .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
      .join("\n");
    const found = [...source.matchAll(/"([EW]-[A-Z]+(?:-[A-Z]+)*)"/g)].map((m) => m[1]!);
    // a family prefix such as "E-WORKSPACE" (isFatal) is no code of its own
    const declared = new Set(found.filter((code) => !found.some((other) => other.startsWith(`${code}-`))));
    expect([...declared].filter((code) => !codes.has(code)).sort()).toEqual([]);
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect([...declared].filter((code) => !readme.includes(`\`${code}\``)).sort()).toEqual([]);
  });
});

describe("check output formats", () => {
  const many = join(INVALID, "many-faults");
  it("text: the offending line with a caret and a hint, then a count", async () => {
    const r = await runCli(["check", "--dir", "."], many);
    expect(r.code).toBe(1);
    await expect(r.stdout).toMatchFileSnapshot(join(many, "expected.txt"));
  });

  it("github: workflow annotations", async () => {
    const r = await runCli(["check", "--dir", ".", "--format", "github"], many);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe(
      "::error file=chart.csv,line=14,col=1,title=E-CHART-DUPLICATE::account 1930 is defined twice%0AKeep one definition per account number.",
    );
    expect(r.stdout.trim().split("\n")).toHaveLength(9);
  });

  it("junit: one failing test case per error", async () => {
    const r = await runCli(["check", "--dir", ".", "--format", "junit"], many);
    expect(r.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="consolidate check" tests="9" failures="9">/,
    );
    expect(r.stdout.match(/<testcase /g)).toHaveLength(9);
    expect(r.stdout).toContain(
      '<failure message="counterparty &apos;M2&apos;'.replace("&apos;", "'").replace("&apos;", "'"),
    );
  });

  it("a clean workspace: exit 0, a passing junit case, no annotations", async () => {
    const text = await runCli(["check", "--dir", SJUHARAD]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^${SJUHARAD}: no problems found\nRead 3 entities, .*; every rule passed[.]\n$`),
    );
    const junit = await runCli(["check", "--dir", SJUHARAD, "--format", "junit"]);
    expect(junit.stdout).toContain('<testcase classname="workspace" name="consolidate check"/>');
    expect((await runCli(["check", "--dir", SJUHARAD, "--format", "github"])).stdout).toBe("");
    expect((await runCli(["check", "--dir", SJUHARAD, "--format", "json"])).stdout).toBe("[]\n");
  });

  it.each(["2010", "2011", "2012", "2013"])("the Sjuhärad workspace is clean for %s", async (year) => {
    const r = await runCli(["check", year, "--dir", SJUHARAD, "--strict"]);
    expect(r.stdout).toMatch(
      new RegExp(`^${SJUHARAD}: no problems found\nRead 3 entities, .*; every rule passed[.]\n$`),
    );
    expect(r.code).toBe(0);
  });
});

describe("consolidate <year> on data with errors", () => {
  it("refuses the statements and points to check", async () => {
    const r = await runCli(["2013", "--dir", "."], join(INVALID, "internal-mismatch"));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Run `consolidate check --dir .` for every problem, or pass --force");
  });
});
