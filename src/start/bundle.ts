/**
 * Starts the command line from its bundle (dist/app/main.js, one CommonJS file made by esbuild at
 * build time) with V8's code cache when the build left one beside it: a run then skips compiling
 * a megabyte of JavaScript, most of its start-up on a small workspace. A cache that does not fit
 * this Node.js (another version, other flags) is ignored by V8, and the code is compiled as usual.
 */
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import type { Script } from "node:vm";
import { runCached } from "./code-cache.js";
import { startEarlyReaders, type EarlyStart } from "./early-readers.js";
import { READING_ALLOWANCE } from "./tiering.js";

// Set here, before the bundle is compiled, so that the build's code cache is made under the same
// flags: V8 ignores a cache made under others, and takes the flags as they are when it first
// compiles from a cache, so none is to change before then. A reading thread's own flag, set as the
// early readers started, made every large year's run compile the whole bundle (1 000 entities and
// 1M postings: the start 20-28 ms longer, paired runs with marks).
// - Each reading thread's young generation starts at 4 MB and grows to 4 MB at most, not V8's
//   16: reading streams short-lived rows, and each page of a young generation is touched as it
//   fills, which costs (about 12 µs a 4 kB page on the benchmark's machine). Against 8 MB: 1M
//   postings CSV −3 %, SIE −6 %, 1 000 entities unchanged, peak memory 13 MB lower (A/B, 9-11
//   rounds). This thread's heap exists already (the flags shape heaps made after them);
//   src/model/readers.ts stops its growth.
// - Type feedback is gathered from a function's first call. By default V8 starts after a few
//   calls, and what a file's first lines run (a new trial balance, a new series) then has none:
//   optimized code met it again at the next file, was thrown away and compiled anew, in every
//   thread (1M postings: 3-5 % of a run).
// - Optimized code inlines half as much bytecode as V8's default (460, not 920): each reading
//   thread compiles the same hot code, and on two cores those compiles compete with reading
//   (1M postings: CPU −5 %, wall −3 to −7 %; SIE −2 %; 1 000 entities and start-up unchanged).
// - A large function waits longer before it is optimized: one tick of V8's budget more per 50
//   bytes of bytecode, not per 150. What runs once per file (setting up a CSV reader, checking
//   its header, ordering its trial balance) grew hot over a thousand files and was optimized in
//   every thread, a third of the compiler threads' work, on cores the readers need (1 000
//   entities: wall −4 %, CPU −5 %; 1M postings CSV and SIE, Sjuhärad unchanged; A/B, 5-7 rounds).
//   Once the ledgers are read, later still (src/start/tiering.ts).
setFlagsFromString("--max-semi-space-size=4");
setFlagsFromString("--min-semi-space-size=4");
setFlagsFromString("--no-lazy-feedback-allocation");
setFlagsFromString("--max-inlined-bytecode-size-cumulative=460");
setFlagsFromString(`--bytecode-size-allowance-per-tick=${READING_ALLOWANCE}`);

export const BUNDLE = fileURLToPath(new URL("../app/main.js", import.meta.url));
export const CODE_CACHE = `${BUNDLE}.cache`;

type Main = (argv: string[], early?: EarlyStart) => Promise<number>;

/** Runs the command line, the reading threads a large year will want started before its code loads. */
export function run(argv: string[]): Promise<number> {
  const early = startEarlyReaders(argv);
  return loadBundle().main(argv, early);
}

/** What the bundle exports (src/cli/main.ts). */
interface Bundle {
  readonly main: Main;
  /** The schema validators it loaded, for the build to write their code caches. */
  readonly loadedValidators: readonly { readonly file: string; readonly script: Script }[];
}

/** The bundle's exports, and the script it was compiled as (for the build to write its code cache). */
export function loadBundle(): Bundle & { script: Script } {
  const { exports, script } = runCached<Bundle>(BUNDLE);
  return { main: exports.main, loadedValidators: exports.loadedValidators, script };
}
