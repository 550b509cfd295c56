import { createRequire } from "node:module";

type Iconv = typeof import("iconv-lite");
let iconv: Iconv | undefined;

/**
 * iconv-lite, loaded when first needed: for the DOS code page of SIE files (PC8) and for encoding
 * text back to a file's bytes. It is half of the bundled program, and most runs never need it.
 */
export function codepages(): Iconv {
  iconv ??= createRequire(import.meta.url)("iconv-lite") as Iconv;
  return iconv;
}
