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

/** The rows shown (head and tail of a long frame), each led by its index label, plus the caption. */
function frameTable(df: DataFrameLike, limit: number): { columns: string[]; rows: Cell[][]; subheader: Cell[]; numeric: boolean[]; caption: string } {
  const [rowCount, columnCount] = df.shape;
  const asRow = (i: number): Cell[] => [df.index[i] as Cell, ...(df.values[i] as Cell[])];
  const head = Math.ceil(limit / 2);
  const positions = rowCount <= limit ? [...Array(rowCount).keys()] : [...Array(head).keys(), -1, ...Array.from({ length: limit - head }, (_, i) => rowCount - (limit - head) + i)];
  const rows = positions.map((i) => (i < 0 ? ["…", ...df.columns.map(() => "…")] : asRow(i)));
  const numeric = [true, ...df.dtypes.map((t) => /int|float/.test(t))];
  return { columns: ["", ...df.columns], rows, subheader: ["", ...df.dtypes], numeric, caption: `${rowCount} rows × ${columnCount} columns` };
}

/** A DataFrame as an HTML table with its dtypes under the column names (plain text outside a notebook). */
export function showDataFrame(df: DataFrameLike, options: DataFrameDisplayOptions = {}): void {
  const { columns, rows, ...rest } = frameTable(df, options.rows ?? 10);
  const tableOptions = { ...rest, className: "s3kit-dataframe" };
  show({ html: htmlTable(columns, rows, tableOptions) }, textTable(columns, rows, tableOptions));
}
