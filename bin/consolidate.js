#!/usr/bin/env -S node --max-semi-space-size=8
// The flag caps the main thread's young generation at 8 MB, as dist/start/bundle.js caps the
// reading threads': set there, at run time, it reaches only isolates made after it. Uncapped, the
// main thread's grew to 16 MB in some runs and not in others (peak 112 or 126 MB at 1M postings).
// main() reports every failure itself (exit 1, 2, or 3 for an internal error); this catches only a
// broken installation (dist/ missing), still in one line and with exit code 3.
try {
  const { loadBundle } = await import("../dist/start/bundle.js");
  process.exitCode = await loadBundle().main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`internal error, please report: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.argv.includes("--debug") && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 3;
}
