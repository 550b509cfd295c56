import { createRequire } from "node:module";

type Iconv = typeof import("iconv-lite");
let iconv: Iconv | undefined;

/**
 * iconv-lite, loaded when first needed: for SIE files in CP1252 and for encoding text back to a
 * file's bytes. It is half of the bundled program, and most runs never need it.
 */
export function codepages(): Iconv {
  iconv ??= createRequire(import.meta.url)("iconv-lite") as Iconv;
  return iconv;
}

// Code page 437 (what SIE calls PC8) above ASCII, bytes 0x80-0xFF; below, it is ASCII. A test holds
// it to iconv-lite byte for byte.
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";
const CP437 = Uint16Array.from({ length: 256 }, (_, b) => (b < 0x80 ? b : CP437_HIGH.charCodeAt(b - 0x80)));

/**
 * Bytes in code page 437 as text. By hand, not with iconv-lite: the SIE files of most programs are
 * in this code page, and loading iconv-lite's tables took 20 ms in every thread that read one.
 */
export function decodeCp437(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) units[i] = CP437[bytes[i]!]!;
  let text = "";
  for (let at = 0; at < units.length; at += 8192)
    text += String.fromCharCode.apply(null, units.subarray(at, at + 8192) as unknown as number[]);
  return text;
}
