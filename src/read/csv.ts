import { createReadStream } from "node:fs";
import { parse, CsvError } from "csv-parse";
import type { Diagnostic } from "../domain/types.js";

export interface CsvRecord {
  readonly line: number;
  /** Field values by header name. */
  readonly fields: Readonly<Record<string, string>>;
  /** Number of fields on the line, to compare with the header. */
  readonly width: number;
  /** The record as written, for excerpts under diagnostics. */
  readonly raw: string;
  /** 1-based column where a header's field starts on this line. */
  columnOf(name: string): number;
}

export interface CsvHeader {
  readonly names: readonly string[];
  readonly line: number;
  readonly raw: string;
  columnOf(name: string): number;
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed",
  CSV_INVALID_CLOSING_QUOTE: "a quote inside a field that is not quoted as a whole",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "characters after a field's closing quote",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "the line has another number of fields than the header",
};

/** Start columns (1-based) of each field of one CSV record, honouring quotes. */
export function fieldColumns(raw: string, delimiter: string): number[] {
  const starts = [1];
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) starts.push(i + 2);
  }
  return starts;
}

/**
 * Streams a CSV file with a header row. Yields the header first, then one record per line,
 * each with its line number; syntax errors become a diagnostic and end the file.
 */
export async function* readCsv(
  path: string,
  file: string,
  delimiter: string,
): AsyncGenerator<{ header: CsvHeader } | { record: CsvRecord } | { error: Diagnostic }> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let names: string[] | undefined;
  let lastLine = 0;
  let index = new Map<string, number>();
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
      const raw = item.raw.replace(/\r?\n$/, "");
      const line = item.info.lines;
      lastLine = line;
      let columns: number[] | undefined;
      const columnOf = (name: string) => {
        columns ??= fieldColumns(raw, delimiter);
        return columns[index.get(name) ?? 0] ?? 1;
      };
      if (!names) {
        names = item.record.map((n) => n.trim());
        index = new Map(names.map((n, i) => [n, i]));
        yield { header: { names, line, raw, columnOf } };
        continue;
      }
      const fields: Record<string, string> = {};
      names.forEach((n, i) => {
        const v = item.record[i];
        if (v !== undefined && n !== "") fields[n] = v;
      });
      yield { record: { line, fields, width: item.record.length, raw, columnOf } };
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // The problem starts on the line after the last record read (a quote opened there, say).
    yield {
      error: {
        code: "E-CSV-SYNTAX",
        severity: "error",
        message: `CSV syntax: ${CSV_PROBLEMS[err.code] ?? err.message}`,
        file,
        line: lastLine + 1,
        column: 1,
        hint: "Check quotes and delimiters on this line; the rest of the file was not read.",
      },
    };
  }
}
