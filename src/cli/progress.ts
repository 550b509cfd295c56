/**
 * A progress line on stderr for large inputs: bytes read and the rate, redrawn in place. Only on
 * a terminal (never in pipes or CI), and only once a run has taken more than a second.
 */
export function progress(stream: NodeJS.WriteStream = process.stderr): {
  onBytes?: (bytes: number) => void;
  done(): void;
} {
  if (!stream.isTTY || process.env.CI) return { done() {} };
  const start = Date.now();
  let bytes = 0;
  let drawn = 0;
  let shown = false;
  return {
    onBytes(n) {
      bytes += n;
      const now = Date.now();
      if (now - start < 1000 || now - drawn < 200) return;
      drawn = now;
      shown = true;
      const mb = bytes / 1e6;
      stream.write(`\r\x1b[Kreading ${mb.toFixed(0)} MB, ${(mb / ((now - start) / 1000)).toFixed(0)} MB/s`);
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
