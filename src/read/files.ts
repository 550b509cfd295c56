import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Null when the file can be read; otherwise why not, in words a user understands. */
export async function unreadable(path: string): Promise<string | null> {
  try {
    const s = await stat(path);
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
