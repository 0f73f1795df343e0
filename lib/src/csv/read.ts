import type { S3Client } from "@aws-sdk/client-s3";
import type { DataFrame } from "danfojs-node";
import { S3KitError } from "../errors";
import { objectText } from "./body";
import type { CsvDtype } from "./columns";
import type { Compression } from "./decode";
import { resolveLocation, type CsvLocation } from "./location";
import { parseInWorker } from "./parse-in-worker";
import { csvTables, type CsvColumns } from "./table";

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
 * danfo with TensorFlow.js takes about 2 s and 100 MB to load: loaded on the first CSV read, so
 * `import { connect } from "s3kit"` stays quick for every lesson that reads no CSV.
 */
function danfo(): typeof import("danfojs-node") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("danfojs-node") as typeof import("danfojs-node");
}

/**
 * Reads an S3 CSV into a danfo DataFrame (pandas: `pd.read_csv("s3://bucket/key.csv")`). A worker
 * thread downloads the object (through a presigned URL) and parses it with papaparse, typing each
 * column as pandas would, while this thread loads danfo: loading danfo alone takes about as long
 * as parsing 30 MB. Integers beyond 2^53 are kept as strings, exactly.
 */
export async function readCsv(source: CsvLocation, options: ReadCsvOptions = {}): Promise<DataFrame> {
  const where = resolveLocation(source, options.client);
  const parsed = parseInWorker(where, options);
  danfo();
  return dataFrame(await parsed);
}

/** The CSV as DataFrames of `chunkSize` rows, one in memory at a time (pandas `read_csv(..., chunksize=n)`). */
export async function* readCsvChunks(source: CsvLocation, options: ReadCsvChunksOptions): AsyncGenerator<DataFrame> {
  const { chunkSize } = options;
  if (!(Number.isInteger(chunkSize) && chunkSize > 0)) throw new S3KitError(`chunkSize must be a positive whole number of rows, not ${chunkSize}.`, "InvalidArgument");
  const where = resolveLocation(source, options.client);
  for await (const table of csvTables(objectText(where, options), where.url, options, chunkSize)) {
    if (table.rows > 0) yield dataFrame(table.columns());
  }
}

/** A danfo DataFrame of the columns (danfo holds rows, so its constructor takes rows). */
function dataFrame(table: CsvColumns | undefined): DataFrame {
  if (!table) return new (danfo().DataFrame)([]);
  const { names, rows: rowCount, columns } = table;
  if (rowCount === 0) return new (danfo().DataFrame)([], { columns: names });
  const rows = new Array<unknown[]>(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const row = new Array<unknown>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c].values[r];
    rows[r] = row;
  }
  // danfo keeps rows AND a column-major copy; it would build the copy by transposing the rows,
  // but the columns are already here. lowMemoryMode skips the transposition; switched back off,
  // the frame is the one `new DataFrame(rows)` gives, without a second pass over every value.
  const frame = new (danfo().DataFrame)(rows, { columns: names, dtypes: columns.map((c) => c.dtype), config: { lowMemoryMode: true } });
  frame.config.setIsLowMemoryMode(false);
  (frame as unknown as { $dataIncolumnFormat: unknown[][] }).$dataIncolumnFormat = columns.map((c) => c.values);
  return frame;
}

