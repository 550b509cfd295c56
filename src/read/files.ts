import crypto, { createHash } from "node:crypto";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { releaseSample, SAMPLE_BYTES, sampleBytes } from "./bytes.js";

/** The SHA-256 of files read to their end by readChunks, until sha256File takes it. */
const digests = new Map<string, string>();

/**
 * A file's bytes in chunks, hashed as they pass: a reader that reads a file to its end leaves its
 * SHA-256 for sha256File, so that the file is read once, not once more for its checksum. A
 * `sample` of the file's first bytes that holds all of it (sampleBytes) is cut into the chunks: a
 * small file is not opened again. A chunk holds until the next one is asked for.
 */
export async function* readChunks(
  path: string,
  options: { highWaterMark?: number; sample?: Buffer } = {},
): AsyncGenerator<Buffer> {
  const { sample } = options;
  const size = options.highWaterMark ?? 64 * 1024;
  if (sample && sample.length < SAMPLE_BYTES) {
    yield* wholeChunks(path, sample, size);
    return;
  }
  const hash = createHash("sha256");
  for (const chunk of chunksOf(path, size)) {
    hash.update(chunk);
    yield chunk;
    // The event loop turns between chunks, as it did with a stream: it runs V8's garbage
    // collection tasks (without them, a large SIE year ran 10 % slower) and hears the workers.
    await new Promise(setImmediate);
  }
  digests.set(path, hash.digest("hex"));
}

/** The chunks of a file its sample holds whole, its SHA-256 left for sha256File once all are taken. */
function* wholeChunks(path: string, sample: Buffer, size: number): Generator<Buffer> {
  const digest = sha256Of(sample);
  for (let at = 0; at < sample.length; at += size) yield sample.subarray(at, at + size);
  digests.set(path, digest);
}

/** What reads a file's bytes as they come, a chunk at a time (read/csv.ts, read/sie.ts). */
export interface ChunkReader<T> {
  /** The items a chunk makes; none when the reader hands them on itself. */
  chunk(bytes: Buffer): T[];
  /** The items the file's end makes. */
  end(): T[];
  /**
   * Whether no more is wanted: the file is read no further. A function, not a getter: V8 gives
   * an object literal with a getter a shape of its own each time one is made, and a thousand
   * entities' run, a reader for each file, took a tenth longer.
   */
  done(): boolean;
}

export interface ChunkOptions {
  /** The bytes read at a time (tests: lines cut across the pieces). */
  readonly chunkBytes?: number;
  readonly onBytes?: (bytes: number) => void;
}

/** The items a reader makes of a file, a chunk's at a time, its sample (sampleBytes) read first. */
export async function* readBatches<T>(
  path: string,
  open: (sample: Buffer) => ChunkReader<T>,
  options: ChunkOptions = {},
): AsyncGenerator<T[]> {
  const sample = sampleBytes(path);
  try {
    const reader = open(sample);
    for await (const chunk of readChunks(path, { sample, highWaterMark: options.chunkBytes })) {
      options.onBytes?.(chunk.length);
      yield reader.chunk(chunk);
      if (reader.done()) return;
    }
    yield reader.end();
  } finally {
    releaseSample(sample);
  }
}

/**
 * A file read by a reader that hands its items on itself, to the file's end or until the reader
 * is done. A file its sample holds whole is read without awaiting anything: three async
 * generators stepped through for each file cost about 15 µs a file (a thousand ledgers of three
 * postings: the run 18 ms shorter, 470 → 448 ms, medians of 16 paired runs).
 */
export async function readThrough<T>(
  path: string,
  open: (sample: Buffer) => ChunkReader<T>,
  options: ChunkOptions = {},
): Promise<void> {
  const sample = sampleBytes(path);
  try {
    const reader = open(sample);
    const take = (chunk: Buffer) => {
      options.onBytes?.(chunk.length);
      reader.chunk(chunk);
      return reader.done();
    };
    const size = options.chunkBytes ?? 64 * 1024;
    if (sample.length < SAMPLE_BYTES) {
      for (const chunk of wholeChunks(path, sample, size)) if (take(chunk)) return;
    } else for await (const chunk of readChunks(path, { sample, highWaterMark: size })) if (take(chunk)) return;
    reader.end();
  } finally {
    releaseSample(sample);
  }
}

/**
 * The SHA-256 of bytes at hand, in one call where Node has it (crypto.hash, from 20.12): without a
 * Hash object, a small file's checksum costs a fraction of what it did (a thousand files, measured).
 */
const sha256Of: (bytes: Buffer) => string =
  typeof crypto.hash === "function"
    ? (bytes) => crypto.hash("sha256", bytes, "hex")
    : (bytes) => createHash("sha256").update(bytes).digest("hex");

/**
 * A file's bytes in pieces read synchronously: as fast as a stream from the page cache, without
 * its round trips through the thread pool. Each piece is read into the same buffer: it holds until
 * the next piece is asked for (the readers decode it at once).
 */
function* chunksOf(path: string, size: number): Generator<Buffer> {
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(size);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, size, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

export async function sha256File(path: string): Promise<string> {
  const read = digests.get(path);
  if (read !== undefined) {
    digests.delete(path);
    return read;
  }
  const hash = createHash("sha256");
  for (const chunk of chunksOf(path, 1 << 20)) hash.update(chunk);
  return hash.digest("hex");
}

/** Null when the file can be read; otherwise why not, in words a user understands. */
export function unreadable(path: string): string | null {
  const size = readableSize(path);
  return typeof size === "string" ? size : null;
}

/** A file's size in bytes when it can be read; otherwise why not (unreadable). */
export function readableSize(path: string): number | string {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : "is not a file";
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? "does not exist"
      : code === "EACCES"
        ? "cannot be read (permission denied)"
        : `cannot be read (${code ?? "error"})`;
  }
}
