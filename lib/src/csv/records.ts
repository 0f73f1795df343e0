import Papa from "papaparse";
import { S3KitError } from "../errors";

/** papaparse's per-input parser that streamers drive: it guesses the line ending on its first input. */
interface ParserHandle {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): Papa.ParseResult<string[]>;
}
const ParserHandle = (Papa as unknown as { ParserHandle: new (config: Papa.ParseConfig) => ParserHandle }).ParserHandle;

/** Enough text to guess the line ending and the delimiter from: a first line, or all there is. */
const HAS_NEWLINE = /[\r\n]/;

/** The records parsed from one chunk of text, and the file lines they start on. */
export interface RecordBatch {
  /** Arrays of field strings, unconverted; a blank line is `[""]`. */
  records: string[][];
  /**
   * The line of the file (1-based, as an editor numbers them) on which `records[i]` starts.
   * Counted only when asked: error messages need it, the rows that parse cleanly do not.
   */
  lineOf(i: number): number;
}

/**
 * CSV records from text arriving in chunks, in batches, one batch per chunk. A record cut by a chunk
 * boundary is carried over and parsed whole with the next chunk, exactly as papaparse's own
 * streamers do. `delimiter: ""` lets papaparse guess it.
 */
export async function* csvRecords(text: AsyncIterable<string>, url: string, delimiter: string): AsyncGenerator<RecordBatch> {
  let handle: ParserHandle | undefined;
  let carried = "";
  let baseIndex = 0;
  let firstLine = 1;
  const parse = (input: string, last: boolean): RecordBatch => {
    // Blank lines stay in the records (one line each, for lineOf) but not in the delimiter guess.
    handle ??= new ParserHandle({ delimiter: delimiter || guessDelimiter(input), quoteChar: '"', skipEmptyLines: false, header: false, dynamicTyping: false });
    const { data, errors, meta } = handle.parse(input, baseIndex, !last);
    const lineBreak = meta.linebreak.includes("\n") ? "\n" : "\r";
    const batch = { records: data, lineOf: linesCounter(data, firstLine, lineBreak) };
    const unclosed = errors.find((e) => e.code === "MissingQuotes");
    if (unclosed) {
      throw new S3KitError(`${url} has a quoted field that never closes (it opens on line ${batch.lineOf(unclosed.row ?? 0)}): fix the quoting.`, "BadCsv");
    }
    if (!last) {
      const consumed = meta.cursor - baseIndex;
      firstLine += count(input, lineBreak, consumed);
      carried = input.substring(consumed);
      baseIndex = meta.cursor;
    }
    return batch;
  };
  for await (const chunk of text) {
    carried += chunk;
    if (baseIndex === 0 && !HAS_NEWLINE.test(carried)) continue;
    const batch = parse(carried, false);
    if (batch.records.length) yield batch;
  }
  if (carried) {
    const batch = parse(carried, true);
    if (batch.records.length) yield batch;
  }
}

/** papaparse's guess from the first lines, ignoring blank ones ("," when nothing fits, as papaparse does). */
function guessDelimiter(firstText: string): string {
  return Papa.parse<string[]>(firstText, { preview: 10, skipEmptyLines: true }).meta.delimiter;
}

/** lineOf for a batch: each record ends one line, plus the line breaks inside its quoted fields. */
function linesCounter(records: string[][], firstLine: number, lineBreak: string): (i: number) => number {
  return (i) => {
    let line = firstLine;
    for (let r = 0; r < i; r++) {
      line++;
      for (const field of records[r]) line += count(field, lineBreak, field.length);
    }
    return line;
  };
}

/** How many times `char` occurs in the first `end` characters of `text`. */
function count(text: string, char: string, end: number): number {
  let n = 0;
  for (let at = text.indexOf(char); at !== -1 && at < end; at = text.indexOf(char, at + 1)) n++;
  return n;
}
