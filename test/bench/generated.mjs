// What a benchmark workspace was generated from (test/bench/generate.mjs), written into it, so
// that the bench makes it again when it needs other options: a workspace made --csv-only has no
// SIE workspace for the SIE rows, and one of another size is not the size a row says.

/** The file in a generated workspace that holds what it was generated from. */
export const GENERATED = "generated.json";

/** What a workspace is generated from: its postings, entities and options (in one order). */
export const generatedWith = (n, entities, flags) => ({ n, entities, flags: [...flags].sort() });
