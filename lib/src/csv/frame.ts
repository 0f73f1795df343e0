import type { DataFrame } from "danfojs-node";

/** One finished column: its danfo dtype and its values, one per row. */
export interface TypedColumn {
  dtype: string;
  values: unknown[];
}

/** The parts of danfo's NDframe this module fills in (danfo keeps them public, with a `$`). */
interface DanfoInternals {
  $data: unknown[][];
  $dataIncolumnFormat: unknown[][];
  $index: number[];
}

/**
 * A danfo DataFrame holding typed columns, whose rows are built only when something asks for them.
 *
 * danfo keeps every value twice: as rows (`$data`: what `values`, `head()`, `iloc`/`loc`,
 * `groupby()`, `print()` and `copy()` read) and as columns (`$dataIncolumnFormat`: what
 * `df.column(name)`, `df[name]` and `describe()` read). The reader has the columns already; the rows
 * of an 850,000-row frame cost about 0.3 s and 130 MB, and a read that only looks at columns never
 * needs them. So the frame is made empty with the columns' names and dtypes, given the columns, and
 * its `$data` is a getter that builds the rows the first time danfo (or anyone) reads it, then
 * becomes the ordinary property danfo would have set. Until then `shape`, which danfo derives from
 * the rows, is answered from the columns. Either way the frame is the one
 * `new DataFrame(rows, { columns, dtypes })` gives.
 */
export function frameFromColumns(DataFrameClass: typeof DataFrame, names: string[], columns: TypedColumn[], rowCount: number): DataFrame {
  const frame = new DataFrameClass([], { columns: names, dtypes: columns.map((c) => c.dtype) });
  if (rowCount === 0) return frame;
  const internals = frame as unknown as DanfoInternals;
  internals.$dataIncolumnFormat = columns.map((c) => c.values);
  internals.$index = Array.from({ length: rowCount }, (_, i) => i);

  const settle = (rows: unknown[][]): unknown[][] => {
    delete (frame as { shape?: unknown }).shape; // danfo's own getter again, reading the rows
    Object.defineProperty(frame, "$data", { value: rows, writable: true, enumerable: true, configurable: true });
    return rows;
  };
  Object.defineProperty(frame, "$data", {
    get: () => settle(rowsOf(columns, rowCount)),
    set: settle,
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(frame, "shape", { get: () => [rowCount, names.length], configurable: true });
  return frame;
}

/** The row-major copy danfo keeps: row r holds every column's value r. */
function rowsOf(columns: TypedColumn[], rowCount: number): unknown[][] {
  const rows = new Array<unknown[]>(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const row = new Array<unknown>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c].values[r];
    rows[r] = row;
  }
  return rows;
}
