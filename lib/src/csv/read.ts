import type { S3Client } from "@aws-sdk/client-s3";
import type { DataFrame } from "danfojs-node";
import { S3KitError } from "../errors";
import { objectText, type Compression } from "./body";
import { ColumnBuilder, MissingMarkers, PANDAS_NA_VALUES, type CsvDtype } from "./columns";
import { frameFromColumns } from "./frame";
import { resolveLocation, type CsvLocation, type ResolvedLocation } from "./location";
import { csvRecords, type RecordBatch } from "./records";

/** pandas.read_csv's options, named the TypeScript way. */
export interface ReadCsvOptions {
  /** The client to use (default: the resource's `meta.client`, else the latest connect()'s). */
  client?: S3Client;
  /** Field separator (pandas `sep`), default ","; "auto" guesses it from the first lines (pandas `sep=None`). */
  delimiter?: string;
  /** Whether the first record names the columns (pandas `header=0`; false is `header=None`). Default true. */
  header?: boolean;
  /** Column names to use instead of a header (pandas `names`). */
  names?: string[];
  /** Keep only these columns, by name or position, in file order (pandas `usecols`). */
  usecols?: (string | number)[];
  /** Read at most this many data rows, and stop downloading there (pandas `nrows`). */
  nrows?: number;
  /** Skip this many records at the start, or the records at these 0-based positions (pandas `skiprows`). */
  skiprows?: number | number[];
  /** Declared column types, by name (pandas `dtype`): "string" keeps "00123" as it is. */
  dtype?: Record<string, CsvDtype>;
  /** More texts that mean "missing" (pandas `na_values`), added to pandas' defaults. */
  naValues?: string[];
  /** Whether pandas' default missing markers ("", "NA", "null", "NaN", ...) apply (pandas `keep_default_na`). Default true. */
  keepDefaultNa?: boolean;
  /** Columns to read as dates (pandas `parse_dates`): ISO 8601 texts become Date objects (UTC). */
  parseDates?: string[];
  /** "infer" (default) decompresses gzip recognised by a ".gz" key or the gzip magic bytes. */
  compression?: Compression;
  /** The text encoding (a WHATWG label), default "utf-8"; a UTF-8 BOM is dropped. */
  encoding?: string;
  /** A record with more fields than the header: "error" (default, names the line), "warn" (skip it, saying so), "skip". */
  onBadLines?: "error" | "warn" | "skip";
}

export interface ReadCsvChunksOptions extends ReadCsvOptions {
  /** Rows per DataFrame (pandas `chunksize`). */
  chunkSize: number;
}

/**
 * danfo still costs time and memory to load, even patched to leave mathjs and TensorFlow.js for
 * later (patches/danfojs-node-1.2.0.patch; `npm run bench -- limits` measures it): loaded on the
 * first CSV read, so `import { connect } from "s3kit"` stays quick for every lesson that reads no CSV.
 */
function danfo(): typeof import("danfojs-node") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("danfojs-node") as typeof import("danfojs-node");
}

/**
 * Reads an S3 CSV into a danfo DataFrame, streaming the body through papaparse (pandas:
 * `pd.read_csv("s3://bucket/key.csv")`). Integers beyond 2^53 are kept as strings, exactly.
 */
export async function readCsv(source: CsvLocation, options: ReadCsvOptions = {}): Promise<DataFrame> {
  const where = resolveLocation(source, options.client);
  let table: CsvTable | undefined;
  for await (const batch of tables(where, options, Infinity)) table = batch;
  return table ? table.frame() : new (danfo().DataFrame)([]);
}

/** The CSV as DataFrames of `chunkSize` rows, one in memory at a time (pandas `read_csv(..., chunksize=n)`). */
export async function* readCsvChunks(source: CsvLocation, options: ReadCsvChunksOptions): AsyncGenerator<DataFrame> {
  const { chunkSize } = options;
  if (!(Number.isInteger(chunkSize) && chunkSize > 0)) throw new S3KitError(`chunkSize must be a positive whole number of rows, not ${chunkSize}.`, "InvalidArgument");
  const where = resolveLocation(source, options.client);
  for await (const table of tables(where, options, chunkSize)) {
    if (table.rows > 0) yield table.frame();
  }
}

/** The typed columns being filled from the records, and turned into a danfo DataFrame. */
class CsvTable {
  readonly builders: ColumnBuilder[];
  rows = 0;

  constructor(
    readonly names: string[],
    readonly keep: number[],
    private readonly options: ReadCsvOptions,
  ) {
    this.builders = keep.map((i) => new ColumnBuilder(names[i], options.dtype?.[names[i]]));
  }

  /** Types the rows' kept fields into the columns; `positions` are the rows' places in `batch`, for error messages. */
  add(rows: string[][], positions: number[], missing: MissingMarkers, batch: RecordBatch, url: string): void {
    for (let c = 0; c < this.builders.length; c++) {
      const builder = this.builders[c];
      const bad = builder.pushField(rows, this.keep[c], missing);
      if (bad !== -1) {
        const text = rows[bad][this.keep[c]];
        throw new S3KitError(`Column "${builder.name}" is declared ${builder.declared} but line ${batch.lineOf(positions[bad])} of ${url} holds "${text}": fix the dtype option or the data.`, "BadCsv");
      }
    }
    this.rows += rows.length;
  }

  frame(): DataFrame {
    const columns = this.builders.map((b) => b.finish(this.options.parseDates?.includes(b.name) ?? false));
    return frameFromColumns(danfo().DataFrame, this.builders.map((b) => b.name), columns, this.rows);
  }
}

/**
 * Yields a CsvTable each time `rowsPerTable` rows are in it (and the rest at the end), applying the
 * header, skiprows, usecols, nrows, missing markers and bad-line rule to the parsed records.
 */
async function* tables(where: ResolvedLocation, options: ReadCsvOptions, rowsPerTable: number): AsyncGenerator<CsvTable> {
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
    return new CsvTable(names, columnsToKeep(names, options.usecols, where.url), options);
  };

  for await (const batch of csvRecords(objectText(where, options), where.url, delimiter)) {
    const { records } = batch;
    // The batch's data rows, checked row by row, then typed column by column (CsvTable.add).
    const rows: string[][] = [];
    const positions: number[] = [];
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
          throw new S3KitError(`Expected ${expected} fields in line ${line} of ${where.url}, saw ${saw}: fix the line, or pass { onBadLines: "skip" }.`, "BadCsv");
        }
        if (onBadLines === "warn") console.warn(`Skipping line ${line}: Expected ${expected} fields, saw ${saw}.`);
        continue;
      }
      rows.push(fields);
      positions.push(i);
      rowsRead++;
      if (table.rows + rows.length === rowsPerTable) {
        table.add(rows, positions, na, batch, where.url);
        rows.length = positions.length = 0;
        yield table;
        table = new CsvTable(table.names, table.keep, options);
      }
    }
    if (rows.length) table!.add(rows, positions, na, batch, where.url);
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
