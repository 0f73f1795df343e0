import Papa from "papaparse";
import { S3KitError } from "../errors";

/** papaparse's per-input parser that streamers drive: it guesses newline and delimiter on its first input. */
interface ParserHandle {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): Papa.ParseResult<string[]>;
}
const ParserHandle = (Papa as unknown as { ParserHandle: new (config: Papa.ParseConfig) => ParserHandle }).ParserHandle;

/** Enough text to guess the line ending and the delimiter from: a first line, or all there is. */
const HAS_NEWLINE = /[\r\n]/;

/**
 * CSV records (arrays of field strings, unconverted) from text arriving in chunks, in batches, one
 * batch per chunk. A record cut by a chunk boundary is carried over and parsed whole with the next
 * chunk, exactly as papaparse's own streamers do. `delimiter: ""` lets papaparse guess it.
 */
export async function* csvRecords(text: AsyncIterable<string>, url: string, delimiter: string): AsyncGenerator<string[][]> {
  const handle = new ParserHandle({ delimiter, quoteChar: '"', skipEmptyLines: true, header: false, dynamicTyping: false });
  let carried = "";
  let baseIndex = 0;
  let recordsBefore = 0;
  const parse = (input: string, last: boolean): string[][] => {
    const { data, errors, meta } = handle.parse(input, baseIndex, !last);
    const unclosed = errors.find((e) => e.code === "MissingQuotes");
    if (unclosed) {
      throw new S3KitError(`${url} has a quoted field that never closes (record ${recordsBefore + (unclosed.row ?? 0) + 1}): fix the quoting.`, "BadCsv");
    }
    if (!last) {
      carried = input.substring(meta.cursor - baseIndex);
      baseIndex = meta.cursor;
    }
    recordsBefore += data.length;
    return data;
  };
  for await (const chunk of text) {
    carried += chunk;
    if (baseIndex === 0 && !HAS_NEWLINE.test(carried)) continue;
    const records = parse(carried, false);
    if (records.length) yield records;
  }
  if (carried) {
    const records = parse(carried, true);
    if (records.length) yield records;
  }
}
