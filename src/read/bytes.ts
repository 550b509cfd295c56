import { open } from "node:fs/promises";

export const SAMPLE_BYTES = 256 * 1024;

/** The first bytes of a file, to decide its encoding and dialect before streaming it. */
export async function sampleBytes(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const hasUtf8Bom = (sample: Uint8Array) => sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;

/** Whether a sample is valid UTF-8; a full sample may end inside a character, so its last 3 bytes do not count. */
export function isUtf8(sample: Uint8Array): boolean {
  const body = sample.length === SAMPLE_BYTES ? sample.subarray(0, sample.length - 3) : sample;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}
