import { show } from "./notebook";
import { htmlTable, textTable, type Cell } from "./table";

/** The parts of a danfo.js DataFrame a display needs (typed here so s3kit does not load danfo). */
export interface DataFrameLike {
  columns: string[];
  dtypes: string[];
  index: (string | number)[];
  values: unknown[];
  shape: number[];
}

export interface DataFrameDisplayOptions {
  /** At most this many rows are shown: the first and last half, with a "…" row between (default 10). */
  rows?: number;
}

/** True for a danfo.js DataFrame or Series (recognised by shape, so danfo need not be loaded). */
export function isDanfoFrame(value: unknown): value is DataFrameLike {
  const name = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
  const frame = value as Partial<DataFrameLike> | null;
  return (name === "DataFrame" || name === "Series") && Array.isArray(frame?.columns) && Array.isArray(frame?.shape) && Array.isArray(frame?.values);
}

/** A Series' values are one column: as rows of one cell, its table is a one-column frame's. */
function asRows(df: DataFrameLike): Cell[][] {
  return df.values.map((row) => (Array.isArray(row) ? row : [row]) as Cell[]);
}

/** The rows shown (head and tail of a long frame), each led by its index label, plus the caption. */
function frameTable(df: DataFrameLike, limit: number): { columns: string[]; rows: Cell[][]; subheader: Cell[]; numeric: boolean[]; caption: string } {
  const [rowCount, columnCount] = df.shape;
  const values = asRows(df);
  const asRow = (i: number): Cell[] => [df.index[i] as Cell, ...values[i]];
  const head = Math.ceil(limit / 2);
  const positions = rowCount <= limit ? [...Array(rowCount).keys()] : [...Array(head).keys(), -1, ...Array.from({ length: limit - head }, (_, i) => rowCount - (limit - head) + i)];
  const rows = positions.map((i) => (i < 0 ? ["…", ...df.columns.map(() => "…")] : asRow(i)));
  const numeric = [true, ...df.dtypes.map((t) => /int|float/.test(t))];
  const kind = df.constructor.name === "Series" ? "Series: " : "";
  return { columns: ["", ...df.columns], rows, subheader: ["", ...df.dtypes], numeric, caption: `${kind}${rowCount} rows × ${columnCount} columns` };
}

/** A DataFrame (or Series) as the HTML table a notebook shows and the aligned text a terminal shows. */
export function dataFrameTables(df: DataFrameLike, options: DataFrameDisplayOptions = {}): { html: string; text: string } {
  const { columns, rows, ...rest } = frameTable(df, options.rows ?? 10);
  const tableOptions = { ...rest, className: "s3kit-dataframe" };
  return { html: htmlTable(columns, rows, tableOptions), text: textTable(columns, rows, tableOptions) };
}

/** A DataFrame as an HTML table with its dtypes under the column names (plain text outside a notebook). */
export function showDataFrame(df: DataFrameLike, options: DataFrameDisplayOptions = {}): void {
  const { html, text } = dataFrameTables(df, options);
  show({ html }, text);
}
