#!/usr/bin/env node
// main() reports every failure itself (exit 1, 2, or 3 for an internal error); this catches only a
// broken installation (dist/ missing), still in one line and with exit code 3.
try {
  const { run } = await import("../dist/start/bundle.js");
  process.exitCode = await run(process.argv.slice(2));
  // The run is over once its output is written: it ends then, not once the event loop has done
  // with what is still queued (the reading threads' last messages, V8's own tasks): 1-6 ms of a
  // thousand units' run (paired runs, medians of 16-20: 0.9-1.4 % less; 8 units unchanged). Not
  // where a write failed (its error is still to be said) or output is still held for a pipe
  // written asynchronously (macOS, Windows): the run then ends as usual.
  const written = (stream) => !stream.writableLength && !stream.errored;
  if (written(process.stdout) && written(process.stderr)) process.exit();
} catch (err) {
  process.stderr.write(`internal error, please report: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.argv.includes("--debug") && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 3;
}
