import { createHash } from "node:crypto";
import { createReadStream, readFileSync, statSync } from "node:fs";

const WHOLE_FILE_BYTES = 1 << 20;

/** The SHA-256 of files read to their end by readChunks, until sha256File takes it. */
const digests = new Map<string, string>();

/**
 * A file's bytes in chunks, hashed as they pass: a reader that reads a file to its end leaves its
 * SHA-256 for sha256File, so that the file is read once, not once more for its checksum.
 */
export async function* readChunks(path: string, options: { highWaterMark?: number } = {}): AsyncGenerator<Buffer> {
  const hash = createHash("sha256");
  // A small file is read at once: the thread pool's round trips per chunk would cost more.
  const chunks = statSync(path).size <= WHOLE_FILE_BYTES ? [readFileSync(path)] : createReadStream(path, options);
  for await (const chunk of chunks) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
  digests.set(path, hash.digest("hex"));
}

export async function sha256File(path: string): Promise<string> {
  const read = digests.get(path);
  if (read !== undefined) {
    digests.delete(path);
    return read;
  }
  const hash = createHash("sha256");
  if (statSync(path).size <= WHOLE_FILE_BYTES) return hash.update(readFileSync(path)).digest("hex");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Null when the file can be read; otherwise why not, in words a user understands. */
export function unreadable(path: string): string | null {
  try {
    const s = statSync(path);
    return s.isFile() ? null : "is not a file";
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? "does not exist"
      : code === "EACCES"
        ? "cannot be read (permission denied)"
        : `cannot be read (${code ?? "error"})`;
  }
}
