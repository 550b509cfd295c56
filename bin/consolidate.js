#!/usr/bin/env node
// main() reports every failure itself (exit 1, 2, or 3 for an internal error); this catches only a
// broken installation (dist/ missing), still in one line and with exit code 3.
try {
  const { run } = await import("../dist/start/bundle.js");
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`internal error, please report: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.argv.includes("--debug") && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 3;
}
