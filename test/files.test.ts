import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { releaseSample, SAMPLE_BYTES, sampleBytes } from "../src/read/bytes.js";
import { readBatches, readChunks, readThrough, sha256File, type ChunkReader } from "../src/read/files.js";
import { joinPlain, resolvePlain } from "../src/read/paths.js";

/** A file is read once: its chunks are its bytes, and the checksum comes from the same bytes. */
describe("reading a file's bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-files-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  // Around the sample's size (the sample is then all of the file, or not) and the chunks' size.
  const sizes = [0, 1, 4095, SAMPLE_BYTES - 1, SAMPLE_BYTES, SAMPLE_BYTES + 1, 3 * 64 * 1024 + 5];
  it.each(sizes)("gives the %i bytes of a file and their SHA-256, with its sample or without", async (size) => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 7919 + (i >> 8)) & 0xff;
    const path = join(dir, `f${size}`);
    writeFileSync(path, bytes);
    for (const sample of [undefined, sampleBytes(path)]) {
      expect(sample?.equals(bytes.subarray(0, SAMPLE_BYTES)) ?? true).toBe(true);
      const chunks: Buffer[] = [];
      for await (const chunk of readChunks(path, { highWaterMark: 1000, sample })) chunks.push(Buffer.from(chunk));
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      expect(await sha256File(path)).toBe(sha256(bytes));
      if (sample) releaseSample(sample);
    }
  });

  it("hashes a file again when its reading stopped before the end", async () => {
    const bytes = Buffer.alloc(SAMPLE_BYTES * 2, 0x41);
    const path = join(dir, "stopped");
    writeFileSync(path, bytes);
    for await (const chunk of readChunks(path)) if (chunk.length > 0) break;
    expect(await sha256File(path)).toBe(sha256(bytes));
  });

  it("keeps a file's sample while the file is read, whatever other file is sampled meanwhile", () => {
    const files = ["a", "b", "c"].map((name, k) => {
      const path = join(dir, `sample-${name}`);
      writeFileSync(path, Buffer.alloc(1000 + k, 0x61 + k));
      return { path, bytes: Buffer.alloc(1000 + k, 0x61 + k) };
    });
    const first = sampleBytes(files[0]!.path);
    const second = sampleBytes(files[1]!.path);
    expect(first.equals(files[0]!.bytes)).toBe(true);
    expect(second.equals(files[1]!.bytes)).toBe(true);
    releaseSample(second);
    releaseSample(first);
    // Given back, the thread's buffer serves the next file, and the one after it.
    const third = sampleBytes(files[2]!.path);
    expect(third.equals(files[2]!.bytes)).toBe(true);
    releaseSample(third);
    const fourth = sampleBytes(files[0]!.path);
    expect(fourth.equals(files[0]!.bytes)).toBe(true);
    expect(fourth.buffer).toBe(third.buffer);
    releaseSample(fourth);
  });

  /** A reader that keeps the bytes it is given, done once it holds `stopAt` of them. */
  const keeper = (stopAt = Infinity) => {
    const kept: Buffer[] = [];
    const samples: ArrayBufferLike[] = [];
    let held = 0;
    const open = (sample: Buffer): ChunkReader<number> => {
      samples.push(sample.buffer);
      return {
        chunk: (bytes) => {
          kept.push(Buffer.from(bytes));
          held += bytes.length;
          return [bytes.length];
        },
        end: () => [0],
        done: () => held >= stopAt,
      };
    };
    return { open, kept, samples };
  };

  it.each([0, 1000, SAMPLE_BYTES + 1])(
    "hands a reader the %i bytes of a file, in chunks, and leaves their SHA-256 when it reads them all",
    async (size) => {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
      const path = join(dir, `through-${size}`);
      writeFileSync(path, bytes);
      const through = keeper();
      await readThrough(path, through.open, { chunkBytes: 300 });
      expect(Buffer.concat(through.kept).equals(bytes)).toBe(true);
      expect(through.kept.every((c) => c.length <= 300)).toBe(true);
      expect(await sha256File(path)).toBe(sha256(bytes));
      const batches = keeper();
      const sizes: number[][] = [];
      for await (const batch of readBatches(path, batches.open, { chunkBytes: 300 })) sizes.push(batch);
      expect(Buffer.concat(batches.kept).equals(bytes)).toBe(true);
      // A batch for each chunk, and the end's last.
      expect(sizes.flat()).toEqual([...batches.kept.map((c) => c.length), 0]);
    },
  );

  it("stops reading a file when its reader is done, and gives its sample back, early or not", async () => {
    const path = join(dir, "sample-items");
    writeFileSync(path, Buffer.alloc(1000, 0x61));
    const early = keeper(200);
    await readThrough(path, early.open, { chunkBytes: 100 });
    expect(early.kept.map((c) => c.length)).toEqual([100, 100]);
    for await (const batch of readBatches(path, early.open)) if (batch[0]! > 0) break;
    await readThrough(path, early.open);
    for await (const batch of readBatches(path, early.open)) void batch;
    // Each file read in the thread's own buffer: given back each time, it was free for the next.
    expect(new Set(early.samples).size).toBe(1);
  });
});

describe("a workspace's paths", () => {
  it("are joined to its folder and resolved exactly as node:path does, whatever their segments", () => {
    const segment = fc.constantFrom("", ".", "..", "...", ".a", "a.", "ledgers", "e 01.csv", "å", "a\\b", "~");
    const path = fc.array(segment, { maxLength: 5 }).map((parts) => parts.join("/"));
    const folder = fc.oneof(
      path,
      path.map((p) => `/${p}`),
      fc.constantFrom("", ".", "/", "./", "/tmp/x/"),
    );
    fc.assert(
      fc.property(folder, path, (dir, p) => {
        expect(joinPlain(dir, p)).toBe(join(dir, p));
        expect(resolvePlain(join(dir, p))).toBe(resolve(join(dir, p)));
        expect(resolvePlain(`${dir}/${p}`)).toBe(resolve(`${dir}/${p}`));
      }),
      { numRuns: 3000 },
    );
  });
});
