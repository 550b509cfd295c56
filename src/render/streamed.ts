/**
 * A text made in pieces as it is written: `stream` hands each piece to `put` as it is made, and
 * the piece may be let go once `put` returns. A large report made whole lived until the end and
 * was copied into memory touched for the first time (renderJson, renderText).
 */
export interface Streamed {
  stream(put: (piece: string) => void): void;
}

/** A streamed text's pieces put together (a file written at once, a test). */
export function textOf(output: string | Streamed): string {
  if (typeof output === "string") return output;
  const pieces: string[] = [];
  output.stream((piece) => pieces.push(piece));
  return pieces.join("");
}
