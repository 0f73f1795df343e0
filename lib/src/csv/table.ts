import { S3KitError } from "../errors";
import { ColumnBuilder, MissingMarkers, PANDAS_NA_VALUES, type ColumnValues } from "./columns";
import type { ReadCsvOptions } from "./read";
import { csvRecords } from "./records";

/** A table's typed columns: what a worker sends back, and what becomes a DataFrame. */
export interface CsvColumns {
  names: string[];
  rows: number;
  columns: ColumnValues[];
}

/** The typed columns being filled from the records. */
export class CsvTable {
  readonly builders: ColumnBuilder[];
  rows = 0;

  constructor(
    readonly names: string[],
    readonly keep: number[],
    private readonly options: ReadCsvOptions,
  ) {
    this.builders = keep.map((i) => new ColumnBuilder(names[i], options.dtype?.[names[i]]));
  }

  columns(): CsvColumns {
    return {
      names: this.builders.map((b) => b.name),
      rows: this.rows,
      columns: this.builders.map((b) => b.finish(this.options.parseDates?.includes(b.name) ?? false)),
    };
  }
}

/**
 * Yields a CsvTable each time `rowsPerTable` rows are in it (and the rest at the end), applying the
 * header, skiprows, usecols, nrows, missing markers and bad-line rule to the records parsed from
 * `text`, the CSV at `url`. Bad lines skipped with onBadLines "warn" are reported to `warn`.
 */
export async function* csvTables(
  text: AsyncIterable<string>,
  url: string,
  options: ReadCsvOptions,
  rowsPerTable: number,
  warn: (message: string) => void = console.warn,
): AsyncGenerator<CsvTable> {
  const { header = true, nrows = Infinity, skiprows = 0, onBadLines = "error" } = options;
  const delimiter = options.delimiter === "auto" ? "" : (options.delimiter ?? ",");
  const na = new MissingMarkers([...(options.keepDefaultNa === false ? [] : PANDAS_NA_VALUES), ...(options.naValues ?? [])]);
  const skipped = typeof skiprows === "number" ? (i: number) => i < skiprows : ((set) => (i: number) => set.has(i))(new Set(skiprows));
  let table: CsvTable | undefined;
  let names: string[] | undefined;
  let record = -1;
  let rowsRead = 0;
  const start = (fieldCount: number, headerFields?: string[]) => {
    names = options.names ?? headerFields?.map(columnName) ?? Array.from({ length: fieldCount }, (_, i) => String(i));
    names = dedupe(names);
    return new CsvTable(names, columnsToKeep(names, options.usecols, url), options);
  };

  for await (const batch of csvRecords(text, url, delimiter)) {
    const { records } = batch;
    for (let i = 0; i < records.length; i++) {
      const fields = records[i];
      if (fields.length === 1 && fields[0] === "") continue; // a blank line: pandas skips it
      record++;
      if (skipped(record)) continue;
      if (!table) {
        table = start(fields.length, header ? fields : undefined);
        if (header) continue;
      }
      if (rowsRead >= nrows) break;
      if (fields.length > names!.length) {
        const [expected, saw, line] = [names!.length, fields.length, batch.lineOf(i)];
        if (onBadLines === "error") {
          throw new S3KitError(`Expected ${expected} fields in line ${line} of ${url}, saw ${saw}: fix the line, or pass { onBadLines: "skip" }.`, "BadCsv");
        }
        if (onBadLines === "warn") warn(`Skipping line ${line}: Expected ${expected} fields, saw ${saw}.`);
        continue;
      }
      const { builders, keep } = table;
      for (let c = 0; c < keep.length; c++) {
        const text = fields[keep[c]];
        if (text === undefined || na.has(text)) builders[c].pushMissing();
        else if (!builders[c].push(text)) {
          const { name, declared } = builders[c];
          throw new S3KitError(`Column "${name}" is declared ${declared} but line ${batch.lineOf(i)} of ${url} holds "${text}": fix the dtype option or the data.`, "BadCsv");
        }
      }
      table.rows++;
      rowsRead++;
      if (table.rows === rowsPerTable) {
        yield table;
        table = new CsvTable(table.names, table.keep, options);
      }
    }
    if (rowsRead >= nrows) break;
  }
  if (table) yield table;
  else if (options.names) yield start(options.names.length);
}

/** pandas names an empty header "Unnamed: i". */
function columnName(text: string, index: number): string {
  return text === "" ? `Unnamed: ${index}` : text;
}

/** pandas renames repeated names: a, a.1, a.2. */
function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}.${count}`;
  });
}

function columnsToKeep(names: string[], usecols: (string | number)[] | undefined, url: string): number[] {
  if (!usecols) return names.map((_, i) => i);
  const missing = usecols.filter((c) => (typeof c === "number" ? c >= names.length : !names.includes(c)));
  if (missing.length) {
    throw new S3KitError(`usecols names columns ${url} does not have (${missing.join(", ")}): its columns are ${names.join(", ")}.`, "InvalidArgument");
  }
  return names.map((_, i) => i).filter((i) => usecols.includes(i) || usecols.includes(names[i]));
}
