import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, SJUHARAD } from "../helpers.js";
import { RealPaths } from "../../src/model/workspace.js";

/** Item 10: a pull request's consolidate.json must not make CI read, and echo, files outside the workspace. */
function workspace(change: (config: Record<string, unknown>, dir: string) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), "consolidate-paths-")), "ws");
  cpSync(SJUHARAD, dir, { recursive: true });
  const file = join(dir, "consolidate.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  change(config, dir);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return dir;
}
type Years = Record<string, { ledgers: { path: string }[] }>;

/** Runs the CLI with a secret in its environment, as a CI job has. */
function runWithSecret(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [join(ROOT, "bin", "consolidate.js"), ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1", CI_SECRET_TOKEN: "s3cr3t-value-0123456789" } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
}

describe("paths outside the workspace are refused, never read", () => {
  it("the chart named /proc/self/environ: exit 2, E-WORKSPACE-PATH, and no secret in any format", async () => {
    const dir = workspace((c) => (c.chart = "/proc/self/environ"));
    for (const format of ["text", "json", "github", "junit"]) {
      const r = await runWithSecret(["check", "--dir", ".", "--format", format], dir);
      expect(r.code).toBe(2);
      expect(r.out).toContain("E-WORKSPACE-PATH");
      expect(r.out).not.toContain("s3cr3t");
    }
  });

  it("a ledger named ../../etc/passwd, at its place in consolidate.json", async () => {
    const dir = workspace((c) => ((c.years as Years)["2013"]!.ledgers[0]!.path = "../../../../../../etc/passwd"));
    const r = await runCli(["2013", "--dir", "."], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^consolidate\.json:\d+:\d+: error E-WORKSPACE-PATH: "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" lies outside the workspace folder: it is not read/,
    );
    expect(r.stderr).not.toContain("root:");
  });

  it("every path outside is reported where consolidate.json names it, in whichever list", async () => {
    type Listed = { path: string }[];
    const outside = (n: number) => `../../outside-${n}.csv`;
    let text = "";
    const dir = workspace((c, d) => {
      const years = c.years as Record<string, Record<string, Listed | { path: string }>>;
      (c.layouts as Record<string, string>)["2012"] = outside(1);
      (years["2011"]!.ledgers as Listed)[2]!.path = outside(2);
      (years["2013"]!.openingBalances as Listed)[0]!.path = outside(3);
      (years["2013"]!.budgets as Listed)[1]!.path = outside(4);
      (years["2013"]!.forecasts as Listed)[2]!.path = outside(5);
      years["2012"]!.populations = { path: outside(6) };
      text = JSON.stringify(c, null, 2);
      expect(d).toBeTruthy();
    });
    const at = (needle: string) => {
      const before = text.slice(0, text.indexOf(needle)).split("\n");
      return `${before.length}:${before[before.length - 1]!.length + 1}`;
    };
    const r = await runCli(["check", "--dir", ".", "--format", "github"], dir);
    expect(r.code).toBe(2);
    const reported = r.stdout.split("\n").filter((l) => l.includes("E-WORKSPACE-PATH"));
    expect(reported.map((l) => /line=(\d+),col=(\d+)/.exec(l)!.slice(1).join(":"))).toEqual(
      [1, 2, 6, 3, 4, 5].map((n) => at(`"${outside(n)}"`)),
    );
    // In the order consolidate.json names them: the layouts, then each year's lists (2012's populations before 2013).
    expect(reported.map((l) => /outside-(\d)/.exec(l)![1])).toEqual(["1", "2", "6", "3", "4", "5"]);
  });

  it("a symbolic link inside the workspace that leads out is outside", async () => {
    const dir = workspace((c, d) => {
      symlinkSync("/etc/passwd", join(d, "ledgers", "link.csv"));
      (c.years as Years)["2013"]!.ledgers[0]!.path = "ledgers/link.csv";
    });
    const r = await runCli(["check", "--dir", "."], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('"ledgers/link.csv" lies outside the workspace folder');
    expect(r.stdout).not.toContain("root:");
  });

  it("a symbolic link that leads out is outside also where the start looked the year's ledgers up ahead", async () => {
    // `2013` (unlike `check`) has its ledgers looked up as the process starts (src/start/early-readers.ts).
    const dir = workspace((c, d) => {
      symlinkSync("/etc/passwd", join(d, "ledgers", "link.csv"));
      for (const year of Object.values(c.years as Years)) year.ledgers[0]!.path = "ledgers/link.csv";
    });
    const r = await runCli(["2013", "--dir", "."], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"ledgers/link.csv" lies outside the workspace folder');
    expect(r.stdout + r.stderr).not.toContain("root:");
  });

  it("--allow-outside FOLDER reads files there on purpose", async () => {
    const outside = mkdtempSync(join(tmpdir(), "consolidate-outside-"));
    cpSync(join(SJUHARAD, "chart.csv"), join(outside, "chart.csv"));
    const dir = workspace((c) => (c.chart = join(outside, "chart.csv")));
    expect((await runCli(["2013", "--dir", "."], dir)).code).toBe(2);
    const r = await runCli(["2013", "--dir", ".", "--allow-outside", outside], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Sjuhärads kommunalförbund");
  });

  it("init copies the SIE files into the workspace, so that it reads nothing outside", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "consolidate-init-")), "ws");
    const sie = join(ROOT, "fixtures", "sjuharad", "sie", "2013");
    const init = await runCli([
      "init",
      dir,
      "--from-sie",
      join(sie, "kansli.se"),
      join(sie, "navet.se"),
      join(sie, "mc.se"),
    ]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`wrote ${join(dir, "sie", "2013", "kansli.se")}`);
    const r = await runCli(["check", "--dir", dir]);
    expect(r.code).toBe(0);
  });
});

describe("real paths of a workspace's files", () => {
  /** The real path of a file, or of its nearest existing folder with the rest appended: each path part by part. */
  function slowly(path: string): string {
    const rest: string[] = [];
    for (let at = resolve(path); ; at = dirname(at)) {
      try {
        return join(realpathSync.native(at), ...rest);
      } catch {
        if (dirname(at) === at) return resolve(path);
        rest.unshift(basename(at));
      }
    }
  }

  it("are those found part by part: through links to files and folders, in and out, and for files not there", () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), "consolidate-real-")));
    const ws = join(root, "ws");
    mkdirSync(join(ws, "ledgers", "2013"), { recursive: true });
    mkdirSync(join(root, "elsewhere"));
    writeFileSync(join(ws, "ledgers", "2013", "a.csv"), "abc");
    writeFileSync(join(root, "elsewhere", "secret.csv"), "");
    symlinkSync(join(root, "elsewhere", "secret.csv"), join(ws, "ledgers", "2013", "out.csv"));
    symlinkSync(join(root, "elsewhere"), join(ws, "ledgers", "away"));
    symlinkSync(join(ws, "ledgers", "2013", "a.csv"), join(ws, "ledgers", "2013", "in.csv"));
    symlinkSync(join(ws, "ledgers", "2013", "out.csv"), join(ws, "ledgers", "2013", "twice.csv"));
    symlinkSync(join(root, "gone.csv"), join(ws, "ledgers", "2013", "dangling.csv"));
    // Files under a folder reached through a link, one of them a link back in.
    mkdirSync(join(root, "elsewhere", "deeper"));
    writeFileSync(join(root, "elsewhere", "deeper", "secret.csv"), "");
    symlinkSync(join(ws, "ledgers", "2013", "a.csv"), join(root, "elsewhere", "deeper", "link.csv"));
    const paths = [
      "ledgers/2013/a.csv",
      "ledgers/2013/../2013/./a.csv",
      "ledgers/2013/out.csv",
      "ledgers/2013/in.csv",
      "ledgers/2013/twice.csv",
      "ledgers/2013/dangling.csv",
      "ledgers/2013/missing.csv",
      "ledgers/missing/deeper/x.csv",
      "ledgers/away/secret.csv",
      "ledgers/away/missing.csv",
      "ledgers/away/../2013/a.csv",
      "ledgers/away/deeper/secret.csv",
      "ledgers/away/deeper/link.csv",
      "ledgers/2013/a.csv/under-a-file.csv",
      "/",
      root,
    ].map((p) => resolve(ws, p));
    const real = new RealPaths();
    for (const path of [...paths, ...paths]) expect([path, real.of(path)]).toEqual([path, slowly(path)]);
    expect(real.of(join(ws, "ledgers/2013/out.csv"))).toBe(join(root, "elsewhere", "secret.csv"));
    // A plain file's size comes with the look that found it no link (loadYear asks no more); a
    // link's, a folder's and a missing file's do not.
    expect(real.sizes.get(join(ws, "ledgers/2013/a.csv"))).toBe(3);
    for (const p of ["ledgers/2013/in.csv", "ledgers/2013/dangling.csv", "ledgers/2013/missing.csv", "ledgers/away"])
      expect(real.sizes.has(join(ws, p))).toBe(false);
  });
});
