import type pl from "nodejs-polars";
import Papa from "papaparse";
import { ColumnBuilder, DANFO_DTYPE } from "./columns";

/** One finished column: its danfo dtype and its values (NaN marks a missing number, null any other missing value). */
export interface TypedColumn {
  name: string;
  dtype: string;
  values: unknown[];
}

type Polars = typeof pl;

let loaded: Polars | null | undefined;

/**
 * nodejs-polars, or null where it is not installed (its native part exists for a few platforms
 * only): readCsv then parses with papaparse alone.
 */
function polars(): Polars | null {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require("nodejs-polars") as Polars;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** The parser readCsv uses for a whole file: "polars" when it is installed and not switched off by S3KIT_CSV_PARSER=papaparse. */
export function wholeFileParser(): "polars" | "papaparse" {
  return process.env.S3KIT_CSV_PARSER !== "papaparse" && polars() ? "polars" : "papaparse";
}

/** Largest integer a float64 holds exactly. */
const SAFE = Number.MAX_SAFE_INTEGER;
/** Joins a string column into one JavaScript string (split again in JavaScript, far cheaper than a string per value across the native boundary). */
const SEPARATOR = "\u0000";
/** Stands for a missing value inside that joined string. */
const MISSING = "\u0001";

/**
 * The typed columns of a whole CSV parsed by polars (multi-threaded, in Rust), or undefined when
 * this file needs the papaparse path to be read exactly as pandas reads it. Polars parses, the
 * kit types: numeric columns come across as float64 arrays, every other column as its texts,
 * typed by the same ColumnBuilder as the papaparse path. Declined (undefined), so that papaparse
 * reads the file and gives its own answer or error: bytes 0x00/0x01 (binary data, or the markers
 * used here), lone CR line breaks, invalid UTF-8, a line with too many fields, a row with nothing in
 * it (pandas skips blank lines, polars keeps them as empty rows), an integer beyond 2^53, a
 * NaN or an integral value beyond 2^53 in a float column (texts pandas keeps as strings), or any
 * other polars error.
 */
export function polarsColumns(
  bytes: Buffer,
  missing: string[],
  parseDates: string[],
  columnNames: (header: string[]) => string[],
): TypedColumn[] | undefined {
  const p = polars();
  if (!p || bytes.length === 0 || bytes.indexOf(0) !== -1 || bytes.indexOf(1) !== -1 || hasLoneCarriageReturn(bytes)) return undefined;
  const header = headerFields(bytes);
  if (!header) return undefined;
  const kitNames = columnNames(header);
  let df: pl.DataFrame;
  try {
    df = p.readCSV(bytes, { nullValues: missing, truncateRaggedLines: false, inferSchemaLength: 10_000, encoding: "utf8", hasHeader: true });
  } catch {
    return undefined;
  }
  const names = df.columns;
  if (names.length !== header.length || df.height === 0) return undefined;
  if (anyEmptyRow(p, df)) return undefined;
  const asText = names.filter((n) => !isNumeric(String(df.getColumn(n).dtype)));
  // Polars reads true/false in any letter case; pandas only True/TRUE/true: booleans are re-read as text.
  const booleans = asText.filter((n) => String(df.getColumn(n).dtype) === "Bool");
  let texts = df;
  if (booleans.length) {
    try {
      texts = p.readCSV(bytes, { nullValues: missing, inferSchemaLength: 0, encoding: "utf8", hasHeader: true, columns: booleans });
    } catch {
      return undefined;
    }
  }
  const columns: TypedColumn[] = [];
  for (let c = 0; c < names.length; c++) {
    const name = names[c];
    const kitName = kitNames[c];
    const dtype = String(df.getColumn(name).dtype);
    if (isNumeric(dtype)) {
      const column = numericColumn(p, df, name, dtype.startsWith("Int"));
      if (!column) return undefined;
      columns.push({ name: kitName, ...column });
    } else {
      const source = booleans.includes(name) ? texts : df;
      columns.push({ name: kitName, ...textColumn(p, source, name, kitName, parseDates.includes(kitName)) });
    }
  }
  return columns;
}

function isNumeric(dtype: string): boolean {
  return dtype.startsWith("Int") || dtype.startsWith("UInt") || dtype.startsWith("Float");
}

/** A number column as float64 values, or undefined when pandas would not read it as these numbers. */
function numericColumn(p: Polars, df: pl.DataFrame, name: string, integer: boolean): { dtype: string; values: unknown[] } | undefined {
  const col = p.col(name).cast(p.Float64);
  const [[low], [high], [nulls], [nans], [bigIntegral]] = df
    .select(
      col.min().alias("low"),
      col.max().alias("high"),
      col.isNull().sum().alias("nulls"),
      col.isNan().sum().alias("nans"),
      col.abs().gtEq(2 ** 53).and(col.floor().eq(col)).sum().alias("big"),
    )
    .rows() as number[][];
  if (integer ? !(Math.max(Math.abs(low ?? 0), Math.abs(high ?? 0)) <= SAFE) : nans > 0 || bigIntegral > 0) return undefined;
  const values = Array.from(df.select(col.fillNull(p.lit(NaN))).getColumn(name).toTypedArray() as Float64Array);
  return { dtype: DANFO_DTYPE[integer && nulls === 0 ? "int" : "float"], values };
}

/** A text column, typed the kit's way (numbers, booleans, dates or strings) by the papaparse path's ColumnBuilder. */
function textColumn(p: Polars, df: pl.DataFrame, name: string, kitName: string, parseAsDate: boolean): { dtype: string; values: unknown[] } {
  const joined = df.select(p.col(name).cast(p.Utf8).fillNull(p.lit(MISSING)).str.concat(SEPARATOR)).getColumn(name).toArray()[0] as string;
  const builder = new ColumnBuilder(kitName);
  for (const text of joined.split(SEPARATOR)) {
    if (text === MISSING) builder.pushMissing();
    else builder.push(text);
  }
  return builder.finish(parseAsDate);
}

/** Whether some row has no value at all: a blank line, which pandas skips (or a row of empty fields, which it keeps). */
function anyEmptyRow(p: Polars, df: pl.DataFrame): boolean {
  const counts = df.nullCount().row(0) as number[];
  if (counts.some((n) => n === 0)) return false;
  const [[empty]] = df.select(p.allHorizontal(df.columns.map((n) => p.col(n).isNull())).sum().alias("empty")).rows() as number[][];
  return empty > 0;
}

/** The header's fields as papaparse reads them (polars renames repeated and empty names its own way). */
function headerFields(bytes: Buffer): string[] | undefined {
  const start = bytes.subarray(0, Math.min(bytes.length, 1 << 20)).toString("utf8").replace(/^\uFEFF/, "");
  const [first] = Papa.parse<string[]>(start, { preview: 1, delimiter: ",", quoteChar: '"' }).data;
  return first?.length ? first : undefined;
}

/** Whether a CR byte stands alone as a line break (polars reads only LF and CRLF). */
function hasLoneCarriageReturn(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(13); at !== -1; at = bytes.indexOf(13, at + 1)) if (bytes[at + 1] !== 10) return true;
  return false;
}
