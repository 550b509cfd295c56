import { setFlagsFromString } from "node:v8";

/**
 * How soon V8 optimizes a function: after one tick of its budget more per so many bytes of its
 * bytecode. While ledger files are read, 50 (src/start/bundle.ts says why), from the start of the
 * run. Once they are read, 10: what follows runs once per entity, statement or internal pair, a few
 * thousand times at most, too few for an optimized function to repay its compiling. V8 compiled
 * them all the same, on the core the run shares with the compiler, mostly for code that never ran
 * again, and the process waited at its end for compiles still running (a thousand units: the run
 * after the reading 4 ms shorter, its end 7.5 ms; five thousand units: 11 ms; eight unchanged;
 * medians of 16 paired runs). Loops are still optimized as they run, a few iterations later.
 */
export const READING_ALLOWANCE = 50;
const AFTER_READING_ALLOWANCE = 10;

let allowance = READING_ALLOWANCE;

const setAllowance = (bytes: number) => {
  if (bytes === allowance) return;
  setFlagsFromString(`--bytecode-size-allowance-per-tick=${bytes}`);
  allowance = bytes;
};

/** Ledger files are about to be read: V8 optimizes as it does from the start of the run. */
export const optimizeForReading = () => setAllowance(READING_ALLOWANCE);

/** Ledger files are read: V8 optimizes later (READING_ALLOWANCE says why). */
export const optimizeAfterReading = () => setAllowance(AFTER_READING_ALLOWANCE);

/**
 * `run` with V8's flags as they were at the start: a code cache (src/start/code-cache.ts) records
 * the flags it was made under, and V8 ignores one made under others.
 */
export function asAtStart<T>(run: () => T): T {
  const was = allowance;
  setAllowance(READING_ALLOWANCE);
  try {
    return run();
  } finally {
    setAllowance(was);
  }
}
