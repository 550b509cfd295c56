/** The formats a report (and the member fees) can be written in. */
export const REPORT_FORMATS = ["text", "md", "json", "csv", "xlsx", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format a file name stands for, by its extension (any case). */
const BY_EXTENSION: Record<string, ReportFormat> = {
  ".txt": "text",
  ".md": "md",
  ".markdown": "md",
  ".json": "json",
  ".csv": "csv",
  ".xlsx": "xlsx",
  ".html": "html",
  ".htm": "html",
};

const KNOWN = ".txt, .md, .json, .csv, .xlsx or .html";

/** A file name's extension in lower case (".xlsx"), if it has one. */
const extensionOf = (file: string) => /(\.[^./\\]+)$/.exec(file)?.[1]?.toLowerCase();

/**
 * The format to write: the one asked for with --format, else the one the --out file's extension
 * names, else `fallback`. A file name whose extension contradicts --format, or whose extension
 * names no format the tool writes when --format is not given, is refused: the message says why
 * and what to do. Returns the format, or `{ refused: message }`.
 */
export function chooseFormat(
  explicit: ReportFormat | undefined,
  out: string | undefined,
  fallback: ReportFormat,
): ReportFormat | { refused: string } {
  const extension = out === undefined ? undefined : extensionOf(out);
  const named = extension === undefined ? undefined : BY_EXTENSION[extension];
  if (explicit !== undefined) {
    if (named !== undefined && named !== explicit)
      return {
        refused: `--format ${explicit} does not fit the file ${out}, whose name says ${named}: leave out --format (the name decides), or name the file ${EXTENSION_OF[explicit]}`,
      };
    return explicit;
  }
  if (named !== undefined) return named;
  if (extension !== undefined)
    return {
      refused: `cannot tell the format from the name ${out}: name the file ${KNOWN}, or give --format${
        extension === ".pdf"
          ? " (for a PDF, write .html and print it from the browser)"
          : extension === ".xls"
            ? " (a workbook is .xlsx)"
            : ""
      }`,
    };
  return fallback;
}

/** The usual extension of each format, for messages. */
const EXTENSION_OF: Record<ReportFormat, string> = {
  text: ".txt",
  md: ".md",
  json: ".json",
  csv: ".csv",
  xlsx: ".xlsx",
  html: ".html",
};
