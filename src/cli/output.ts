import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, extname, join, basename } from "node:path";
import iconv from "iconv-lite";
import { isUtf8, SAMPLE_BYTES } from "../read/bytes.js";
import { detectEncoding } from "../read/sie.js";
import { isWorkbook } from "../read/xlsx.js";
import { SIE_EXTENSIONS } from "../model/sie/ledger.js";

/** An output file that could not be written, said in words a user understands. */
export class OutputError extends Error {}

const WHY: Record<string, string> = {
  ENOENT: "its folder does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder",
  ENOSPC: "the disk is full",
  EROFS: "the file system is read-only",
};

/** Writes a file completely or not at all: a temporary file beside it, then a rename. */
export async function writeAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? "";
    throw new OutputError(`cannot write ${path}: ${WHY[code] ?? (code || "error")}; nothing was written`);
  }
}

/**
 * A file's text in its own encoding, for excerpts: a SIE file as its bytes say (CP437 "Omföring",
 * not "Omf�ring"), any other file as UTF-8 or, failing that, Windows-1252.
 */
function decodeFile(file: string, bytes: Buffer): string {
  const text = SIE_EXTENSIONS.has(extname(file).toLowerCase())
    ? iconv.decode(bytes, detectEncoding(bytes.subarray(0, SAMPLE_BYTES)))
    : isUtf8(bytes)
      ? bytes.toString("utf8")
      : iconv.decode(bytes, "win1252");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads lines of input files for diagnostic excerpts, each file at most once; a workbook has none. */
export function lineReader(): (file: string, line: number) => string | undefined {
  const cache = new Map<string, string[] | null>();
  return (file, line) => {
    if (isWorkbook(file)) return undefined; // its rows are cells in a zip, not lines of text
    if (!cache.has(file)) {
      try {
        cache.set(file, decodeFile(file, readFileSync(file)).split(/\r\n|\r|\n/));
      } catch {
        cache.set(file, null);
      }
    }
    return cache.get(file)?.[line - 1];
  };
}
