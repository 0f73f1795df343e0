/**
 * One small table renderer for every instrument (request traces, side by side, DataFrames): the
 * same rows as an HTML table for the notebook and as aligned plain text for a terminal.
 */
export type Cell = string | number | boolean | Date | null | undefined;

export interface TableOptions {
  /** A second header row under the column names (a DataFrame's dtypes). */
  subheader?: Cell[];
  /** Columns whose cells are right-aligned (numbers). */
  numeric?: boolean[];
  /** A line under the table ("365 rows × 6 columns"). */
  caption?: string;
  /** The table element's class, so a page (or a browser test) can find it. */
  className?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  // In UTC, as S3 keeps every time; a date alone when there is no time of day.
  if (cell instanceof Date) return cell.toISOString().replace(/T00:00:00\.000Z$/, "").replace(/\.000Z$/, "Z");
  if (typeof cell === "number" && !Number.isInteger(cell)) return String(Number(cell.toPrecision(6)));
  return String(cell);
}

export function htmlTable(columns: string[], rows: Cell[][], options: TableOptions = {}): string {
  const align = (i: number) => (options.numeric?.[i] ? ' style="text-align:right"' : "");
  const head = `<tr>${columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const sub = options.subheader
    ? `<tr>${options.subheader.map((c, i) => `<th${align(i)}><small><i>${escapeHtml(cellText(c))}</i></small></th>`).join("")}</tr>`
    : "";
  const body = rows.map((row) => `<tr>${row.map((c, i) => `<td${align(i)}>${escapeHtml(cellText(c))}</td>`).join("")}</tr>`).join("");
  const caption = options.caption ? `<caption style="caption-side:bottom">${escapeHtml(options.caption)}</caption>` : "";
  const className = options.className ? ` class="${escapeHtml(options.className)}"` : "";
  return `<table${className}><thead>${head}${sub}</thead><tbody>${body}</tbody>${caption}</table>`;
}

export function textTable(columns: string[], rows: Cell[][], options: TableOptions = {}): string {
  const lines = [columns, ...(options.subheader ? [options.subheader] : []), ...rows].map((row) => row.map(cellText));
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? "").length)));
  const format = (line: string[]) =>
    line.map((text, i) => (options.numeric?.[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join("  ").trimEnd();
  const header = lines.slice(0, options.subheader ? 2 : 1).map(format);
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  const out = [...header, rule, ...lines.slice(header.length).map(format)];
  if (options.caption) out.push(options.caption);
  return out.join("\n");
}
