import { randomBytes } from "node:crypto";
import { fstatSync, readFileSync, rmSync, writeSync, type Stats } from "node:fs";
import { chmod, chown, open, readlink, realpath, rename, rm, stat, writeFile, type FileHandle } from "node:fs/promises";
import { constants } from "node:os";
import { dirname, extname, join, basename, resolve } from "node:path";
import { codepages } from "../read/codepages.js";
import { isUtf8, SAMPLE_BYTES } from "../read/bytes.js";
import type { Excerpt } from "../render/diagnostics.js";
import { decodeSie, detectEncoding } from "../read/sie.js";
import { isWorkbook } from "../read/xlsx.js";
import { SIE_EXTENSIONS } from "../model/sie/ledger.js";
import { textOf, type Streamed } from "../render/streamed.js";

/** An output file that could not be written, said in words a user understands. */
export class OutputError extends Error {}

const WHY = new Map([
  ["ENOENT", "its folder does not exist"],
  ["ENOTDIR", "a part of its path is not a folder"],
  ["EACCES", "permission denied"],
  ["EPERM", "permission denied"],
  ["EISDIR", "it is a folder"],
  ["ENOSPC", "the disk is full"],
  ["EDQUOT", "the disk quota is used up"],
  ["EFBIG", "the file would be too large"],
  ["EROFS", "the file system is read-only"],
  ["ELOOP", "its symbolic links lead round in a circle"],
  ["ENXIO", "nothing can be written to it (a socket, or a device without its driver)"],
]);

/** Why a file or standard output could not be written, in words ("the disk is full"). */
export function whyNotWritten(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  return WHY.get(code) ?? (code || "error");
}

/** The bytes of a text encoded and written at a time (writeStdout). */
const PIECE_BYTES = 64 * 1024;

/** What a command writes: a text, bytes, or a text made as it is written. */
export type Output = string | Uint8Array | Streamed;

/**
 * Writes a command's output to standard output. Into a file or a device other than a terminal
 * (`> report.json`, `> /dev/null`) a text goes as UTF-8 in pieces through one buffer: made one
 * buffer of its own, a thousand units' report of 2.5 MB took 17 ms to write, most of it memory
 * touched for the first time; 9 ms so. A pipe or a terminal gets it as it is (a text made in
 * pieces, PIECE_BYTES characters or more at a time). A fault is the stream's, as its own write would
 * raise it (main says "cannot write to standard output").
 */
export function writeStdout(output: Output): void {
  if (output instanceof Uint8Array) {
    process.stdout.write(output);
    return;
  }
  if (!toFileOrDevice()) {
    if (typeof output === "string") process.stdout.write(output);
    else inChunks(output, (chunk) => process.stdout.write(chunk));
    return;
  }
  try {
    const sink = new Utf8Sink(1, new Uint8Array(PIECE_BYTES));
    if (typeof output === "string") sink.put(output);
    else output.stream(sink.put);
    sink.flush();
  } catch (err) {
    process.stdout.emit("error", err);
  }
}

/** A text made in pieces, handed on in chunks of PIECE_BYTES characters or more (a stream's writes: fewer). */
function inChunks(output: Streamed, write: (chunk: string) => void): void {
  let pieces: string[] = [];
  let length = 0;
  output.stream((piece) => {
    pieces.push(piece);
    length += piece.length;
    if (length < PIECE_BYTES) return;
    write(pieces.join(""));
    pieces = [];
    length = 0;
  });
  if (pieces.length) write(pieces.join(""));
}

const encoder = new TextEncoder();

/** Texts written to `fd` as UTF-8, encoded into `buffer` (4 bytes or more: any character) and written as it fills. */
export class Utf8Sink {
  #used = 0;

  constructor(
    readonly fd: number,
    readonly buffer: Uint8Array,
  ) {}

  readonly put = (text: string): void => {
    for (let at = 0; at < text.length;) {
      const rest = at === 0 ? text : text.slice(at);
      const { read, written } = encoder.encodeInto(rest, this.buffer.subarray(this.#used));
      this.#used += written;
      at += read;
      // What is left does not fit (a character of up to 4 bytes in less room): the buffer goes first.
      if (at < text.length) this.flush();
    }
  };

  /** Writes what the buffer holds. */
  flush(): void {
    for (let done = 0; done < this.#used;) done += writeSync(this.fd, this.buffer, done, this.#used - done);
    this.#used = 0;
  }
}

/** Whether standard output is a file, or a device that is no terminal: written to at once, not through a stream's queue. */
function toFileOrDevice(): boolean {
  if (process.stdout.isTTY) return false;
  try {
    const found = fstatSync(1);
    return found.isFile() || found.isCharacterDevice();
  } catch {
    return false;
  }
}

/** Temporary files being written, removed when the run is interrupted. */
const writing = new Set<string>();

/** Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP) while writing: no temporary file stays behind. */
function interrupted(signal: NodeJS.Signals): void {
  for (const file of writing) rmSync(file, { force: true });
  process.exit(128 + (constants.signals[signal] ?? 0)); // 130, 143, 129, as the shell reports a signal
}
const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function track(tmp: string | undefined): void {
  if (tmp === undefined) return;
  if (writing.size === 0) for (const s of SIGNALS) process.on(s, interrupted);
  writing.add(tmp);
}

function untrack(tmp: string | undefined): void {
  if (tmp === undefined || !writing.delete(tmp) || writing.size > 0) return;
  for (const s of SIGNALS) process.off(s, interrupted);
}

/**
 * Where writing `path` lands: `path` itself, or the end of its symbolic links (a link is written
 * through, never replaced), which need not exist yet; with what stands there now, if anything.
 */
async function destination(path: string): Promise<{ file: string; now?: Stats }> {
  try {
    const now = await stat(path); // follows links, /dev/stdout's through /proc too
    return { file: now.isFile() ? await realpath(path) : path, now };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  // Nothing there yet: a new file, or the missing end of a symbolic link.
  let file = path;
  for (let hops = 0; ; hops++) {
    let link: string;
    try {
      link = await readlink(file);
    } catch {
      return { file };
    }
    if (hops === 40) throw Object.assign(new Error("too many symbolic links"), { code: "ELOOP" });
    file = resolve(dirname(file), link);
  }
}

/** Standard output or error, when `file` is where it goes (/dev/stdout, /proc/self/fd/2, or the file redirected to). */
function standardStream(file: Stats): NodeJS.WriteStream | undefined {
  for (const [fd, stream] of [
    [1, process.stdout],
    [2, process.stderr],
  ] as const) {
    try {
      const s = fstatSync(fd);
      if (s.ino !== 0 && s.dev === file.dev && s.ino === file.ino) return stream;
    } catch {
      // closed: not where the file goes
    }
  }
  return undefined;
}

/**
 * Writes a file completely or not at all: a temporary file beside it (with the old file's
 * permissions, so a 0600 report stays 0600), then a rename. A symbolic link is written through: the
 * file it leads to is replaced, the link stays. Standard output (/dev/stdout) is written as such,
 * and anything else that is not a regular file (a FIFO, a terminal, /dev/null) in place, as the
 * shell's `>` would. Interrupted
 * (SIGINT, SIGTERM, SIGHUP), the temporary file is removed and the run ends with 128 + the signal.
 */
export async function writeAtomically(path: string, output: Output): Promise<void> {
  const whole = () => (output instanceof Uint8Array ? output : textOf(output));
  let tmp: string | undefined;
  let inPlace = false;
  try {
    const { file, now } = await destination(path);
    if (now?.isDirectory()) throw Object.assign(new Error("a folder"), { code: "EISDIR" });
    const stream = now && standardStream(now);
    if (stream) {
      // `--out /dev/stdout`: written as standard output is, whatever it is (a pipe, a socket, a file opened to append to).
      inPlace = true;
      await new Promise<void>((done, fail) => stream.write(whole(), (err) => (err ? fail(err) : done())));
      return;
    }
    if (now && !now.isFile()) {
      inPlace = true;
      await writeFile(file, whole());
      return;
    }
    tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
    track(tmp);
    // Created new (never through a link planted under its name), and never readable by more than the old file.
    const handle = await open(tmp, "wx", now ? now.mode & 0o777 : 0o666);
    try {
      await writeContent(handle, output);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (now) {
      await chmod(tmp, now.mode & 0o777); // exactly, whatever the umask
      // The owner and group stay too, where the process may set them (as root, say).
      if (now.uid !== process.getuid?.() || now.gid !== process.getgid?.())
        await chown(tmp, now.uid, now.gid).catch(() => undefined);
    }
    await rename(tmp, file);
    untrack(tmp);
  } catch (err) {
    if (tmp !== undefined) {
      await rm(tmp, { force: true });
      untrack(tmp);
    }
    // A fault in making the text as it is written (no system error's code) is the program's, not the file's.
    if (typeof (err as NodeJS.ErrnoException).code !== "string") throw err;
    const what = inPlace ? "" : "; nothing was written";
    throw new OutputError(`cannot write ${path}: ${whyNotWritten(err)}${what}`);
  }
}

/**
 * A command's output into a file just opened: a text made in pieces (Streamed) is encoded and
 * written as it is made, a piece at a time through one buffer, never held whole (a thousand units'
 * HTML report is 56 MB: made whole first, the run took 439 MB of memory); any other at once.
 */
async function writeContent(handle: FileHandle, output: Output): Promise<void> {
  if (typeof output === "string" || output instanceof Uint8Array) return handle.writeFile(output);
  const sink = new Utf8Sink(handle.fd, new Uint8Array(PIECE_BYTES));
  output.stream(sink.put);
  sink.flush();
}

/**
 * A file's text in its own encoding, for excerpts: a SIE file as its bytes say (CP437 "Omföring",
 * not "Omf�ring"), any other file as UTF-8 or, failing that, Windows-1252.
 */
function decodeFile(file: string, bytes: Buffer): string {
  const text = SIE_EXTENSIONS.has(extname(file).toLowerCase())
    ? decodeSie(bytes, detectEncoding(bytes.subarray(0, SAMPLE_BYTES)))
    : isUtf8(bytes)
      ? bytes.toString("utf8")
      : codepages().decode(bytes, "win1252");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The most characters of a line an excerpt shows. */
export const EXCERPT_CHARS = 200;

/**
 * Reads lines of input files for diagnostic excerpts, each file at most once; a workbook has none.
 * A line is shown to EXCERPT_CHARS characters around `column` when it is given, else from its
 * start, with "…" where it is cut: a diagnostic on a line of megabytes prints a line, not the file.
 * Lines end as the readers count them: LF, CRLF or a lone CR.
 */
export function lineReader(): (file: string, line: number, column?: number) => Excerpt | undefined {
  const cache = new Map<string, string[] | null>();
  return (file, line, column) => {
    if (isWorkbook(file)) return undefined; // its rows are cells in a zip, not lines of text
    if (!cache.has(file)) {
      try {
        cache.set(file, decodeFile(file, readFileSync(file)).split(/\r\n|\r|\n/));
      } catch {
        cache.set(file, null); // unreadable, or too large to be held as one text
      }
    }
    const text = cache.get(file)?.[line - 1];
    if (text === undefined || text.length <= EXCERPT_CHARS) return text === undefined ? undefined : { text, shift: 0 };
    const from = Math.max(0, Math.min((column ?? 1) - 1 - EXCERPT_CHARS / 2, text.length - EXCERPT_CHARS));
    const cut = `${from > 0 ? "…" : ""}${text.slice(from, from + EXCERPT_CHARS)}${from + EXCERPT_CHARS < text.length ? "…" : ""}`;
    return { text: cut, shift: from > 0 ? from - 1 : 0 };
  };
}
