/**
 * Texts from input files (labels, names, counterparties, paths) made safe for the outputs that
 * carry them: a terminal, a CI log, XML, Markdown.
 */

/**
 * Characters that must not reach a terminal or a log as they are: C0 and C1 controls (line breaks,
 * ESC), DEL, the Unicode line and paragraph separators, the bidirectional marks, embeddings,
 * overrides and isolates (which reorder what is shown), U+FFFE, U+FFFF and lone surrogates.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED = new Map([
  ["\n", "\\n"],
  ["\r", "\\r"],
  ["\t", "\\t"],
]);

const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, "0");
const escapeOne = (c: string) => NAMED.get(c) ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/**
 * GitHub Actions runs a log line as a workflow command when it starts with `::` (after any
 * white space), and a legacy one wherever `##[` occurs in it: both are broken up, visibly.
 */
const guardCommands = (s: string) =>
  s.replace(/##\[/g, "##\\x5b").replace(/^([\s\u0085]*):(?=:)/, (_, space: string) => `${space}\\x3a`);

/**
 * Whatever `visible` could change: an unsafe character (any surrogate, paired or not), or the
 * makings of a workflow command. Most texts hold none, and are shown as they are after this one
 * search, not a replace and two searches each (a thousand units' text report: 4 ms less, medians
 * of 9, with marks).
 */
const NEEDS_CARE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]|##\[|::/;

/**
 * A text as it may be printed: each unsafe character written visibly as an escape (`\n`, `\x1b`,
 * `\u202e`), so that a value can neither break a line, nor send the terminal a control sequence,
 * nor start a workflow command in a CI log. Printable text, Swedish letters included, is kept.
 */
export function visible(s: string): string {
  if (!NEEDS_CARE.test(s)) return s;
  let shown = seen.get(s);
  if (shown === undefined) {
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(s, (shown = guardCommands(s.replace(UNSAFE, escapeOne))));
  }
  return shown;
}

/** Texts made visible, by text: a report prints the same names and labels for every entity. */
const seen = new Map<string, string>();
const SEEN_MAX = 10_000;

/**
 * A whole output, line by line: no line starts a workflow command, even where two safe pieces
 * meet. The escapes of `visible` come first; this is the net under them.
 */
export function guardLines(text: string): string {
  // Each search runs only where its mark occurs: a report's 700 kB are looked through once each.
  const bracketed = text.includes("##[") ? text.replace(/##\[/g, "##\\x5b") : text;
  return bracketed.includes("::")
    ? bracketed.replace(/^([\s\u0085]*):(?=:)/gm, (_, space: string) => `${space}\\x3a`)
    : bracketed;
}

/** Characters XML 1.0 cannot carry at all: most C0 controls, U+FFFE, U+FFFF and lone surrogates. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A text XML 1.0 can carry: each character it forbids replaced by U+FFFD (�). */
export const xmlChars = (s: string): string => s.replace(NOT_XML, "\ufffd");

/**
 * A text for Markdown, shown as it is: unsafe characters escaped visibly (a line break cannot end
 * a table row), HTML written as text (`<script>` is shown, never run), and the characters that
 * mean something in Markdown (`|` in a table, `*`, `_`, `[`, a backslash…) escaped; an `&` only
 * where it would start a character reference.
 */
export const markdownText = (s: string): string =>
  visible(s).replace(/[\\`*_[\]#|~<>]|&(?=#?[a-z0-9]+;)/gi, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`,
  );

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const COLOUR_OR_PAIR = /[\u001b\ud800-\udbff]/;
/** The characters a cell shows: its code points, colours left out (as [...text].length, without the array). */
export function widthOf(text: string): number {
  // Most cells hold neither a colour nor a character of two code units: told by one search of the
  // engine's, not a loop over their characters (a thousand units' reconciliation: 60 000 cells).
  if (!COLOUR_OR_PAIR.test(text)) return text.length;
  const shown = text.includes("\u001b") ? text.replace(ANSI, "") : text;
  let width = shown.length;
  for (let i = 0; i < shown.length - 1; i++) {
    const c = shown.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = shown.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        width--; // a surrogate pair is one character
        i++;
      }
    }
  }
  return width;
}
