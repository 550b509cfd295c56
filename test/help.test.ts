import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers.js";

describe("help for a user who does not know the commands yet", () => {
  it("no arguments: a short usage, pointing to --help, exit 2", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("consolidate 2013 --dir WORKSPACE");
    expect(r.stderr).toContain("Run `consolidate --help`");
  });

  it("`consolidate 2013 --help` is the report's help", async () => {
    const r = await runCli(["2013", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: consolidate report \[options\] <year>/);
  });

  it.each(["report", "check", "fees", "init"])("%s --help has examples and exit codes", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:\n  consolidate ");
    expect(r.stdout).toContain("Exit codes:\n  0  done");
  });

  it("bash completion completes commands, options and their values", async () => {
    const script = (await runCli(["completion", "bash"])).stdout;
    // Run in a folder of its own: completion offers file names too, and the shared temporary
    // folder may hold a file named "check…".
    const dir = mkdtempSync(join(tmpdir(), "consolidate-completion-"));
    const file = join(dir, "c.sh");
    writeFileSync(file, script);
    const complete = (...words: string[]) =>
      execFileSync(
        "bash",
        [
          "-c",
          `source ${file}; COMP_WORDS=(${words.map((w) => `"${w}"`).join(" ")}); COMP_CWORD=${words.length - 1}; _consolidate; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8", cwd: dir },
      ).trim();
    expect(complete("consolidate", "ch")).toBe("check");
    expect(complete("consolidate", "check", "--st")).toBe("--strict");
    expect(complete("consolidate", "2013", "--format", "x")).toBe("xlsx");
    expect(complete("consolidate", "2013", "--unit", "m")).toBe("mnkr");
  });

  it("zsh completion loads bash's through bashcompinit; another shell is refused", async () => {
    expect((await runCli(["completion", "zsh"])).stdout).toMatch(/^#compdef consolidate\n/);
    const r = await runCli(["completion", "fish"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: no completion for 'fish': give bash or zsh\n");
  });

  it("a reader that stops early (| head) ends the run quietly", () => {
    const out = execFileSync(
      "bash",
      ["-c", "node bin/consolidate.js 2013 --dir fixtures/sjuharad | head -n 1; echo ${PIPESTATUS[0]}"],
      {
        encoding: "utf8",
        cwd: ROOT,
      },
    );
    expect(out).toBe("Sjuhärads kommunalförbund\n0\n");
  });

  it("the command starts as installed, through its #! line, with any env (BusyBox's has no -S)", () => {
    const bin = join(ROOT, "bin", "consolidate.js");
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    const out = execFileSync(bin, ["--version"], { encoding: "utf8", cwd: ROOT });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
