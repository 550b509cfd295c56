import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Vitest's global setup: every temporary folder of a test run, the tests' own and those of the
 * command lines they start, goes under one folder made for the run and removed after it. The test
 * files make a workspace per case (about 1 400 a run) and leave them to the operating system, which
 * on a machine that keeps its /tmp, a developer's or a CI runner's, never cleans up. The test
 * workers and the processes they start inherit the variables os.tmpdir() reads (TMPDIR, and TEMP
 * and TMP on Windows).
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "consolidate-tests-"));
  for (const name of ["TMPDIR", "TEMP", "TMP"]) process.env[name] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
