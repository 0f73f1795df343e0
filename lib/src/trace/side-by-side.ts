import { inspect } from "node:util";
import { show } from "../display/notebook";
import { redactSecrets } from "../display/redact";
import { Resource } from "../resources/base";
import { escapeHtml } from "../display/table";
import { formatMs } from "../display/format";
import { trace, type Trace, type TraceOptions } from "./trace";

/** One task's column: what it returned, the requests of its first run, and its median time. */
export interface SideBySideColumn {
  label: string;
  /** The first run's trace: its result and requests. */
  first: Trace;
  /** Wall time of each run after the first, in milliseconds. */
  timesMs: number[];
  medianMs: number;
}

export interface SideBySideOptions extends TraceOptions {
  /** Timed runs per task after one untimed warm-up run (default 5). */
  runs?: number;
}

/** The same task written two (or more) ways, measured the same way. */
export class SideBySide {
  constructor(readonly columns: SideBySideColumn[]) {}

  html(): string {
    const cells = (fill: (column: SideBySideColumn) => string) =>
      this.columns.map((column) => `<td style="vertical-align:top;text-align:left">${fill(column)}</td>`).join("");
    const rows = [
      `<tr>${this.columns.map((c) => `<th style="text-align:left">${escapeHtml(c.label)}</th>`).join("")}</tr>`,
      `<tr>${cells((c) => `<pre style="${PRE_STYLE}">${escapeHtml(describeResult(c.first.result))}</pre>`)}</tr>`,
      `<tr>${cells((c) => `<b>${escapeHtml(requestLine(c))}</b><br>${escapeHtml(operationsLine(c))}`)}</tr>`,
      `<tr>${cells((c) => escapeHtml(timeLine(c)))}</tr>`,
    ];
    return `<table class="s3kit-side-by-side">${rows.join("")}</table>`;
  }

  text(): string {
    const blocks = this.columns.map((c) => [
      c.label,
      "─".repeat(c.label.length),
      ...describeResult(c.first.result).split("\n"),
      "",
      requestLine(c),
      operationsLine(c),
      timeLine(c),
    ]);
    const width = Math.max(...blocks.slice(0, -1).flat().map((line) => line.length));
    const height = Math.max(...blocks.map((b) => b.length));
    const lines: string[] = [];
    for (let i = 0; i < height; i++) lines.push(blocks.map((b, j) => (j < blocks.length - 1 ? (b[i] ?? "").padEnd(width) : (b[i] ?? ""))).join("  │  ").trimEnd());
    return lines.join("\n");
  }

  [inspect.custom](): string {
    return this.text();
  }
}

/**
 * Jupyter's `pre` (Bootstrap's) wraps anywhere, cutting a key mid-word: long lines here wrap
 * between words only.
 */
const PRE_STYLE = "white-space:pre-wrap;word-break:normal;overflow-wrap:normal;margin:0";

/**
 * How a result looks to the code that gets it: plain objects (the client's "dicts") print as
 * `{ Name: ... }`, resources as their class and identifiers, the way boto3 prints
 * `s3.Bucket(name='...')` (their client inside would fill the page). A presigned URL in a result
 * keeps its shape but loses its signature.
 */
function describeResult(result: unknown): string {
  const text = redactSecrets(inspect(asShown(result), { depth: 2, breakLength: 72, maxArrayLength: 8, sorted: false }));
  const lines = text.split("\n");
  return lines.length > 20 ? [...lines.slice(0, 19), "  …"].join("\n") : text;
}

function asShown(value: unknown): unknown {
  if (value instanceof Resource) return { [inspect.custom]: () => describeResource(value) };
  if (Array.isArray(value)) return value.map(asShown);
  return value;
}

/**
 * A resource's class and identifiers, plus the size a listing already gave it (an ObjectSummary's
 * `size`), so both columns show what the same requests brought back.
 */
function describeResource(resource: Resource<object, object>): string {
  const { identifiers, data } = resource.meta;
  const size = (data as { Size?: unknown } | undefined)?.Size;
  const shown = typeof size === "number" ? { ...identifiers, size } : identifiers;
  return `${resource.constructor.name} ${inspect(shown, { breakLength: Infinity })}`;
}

function requestLine(column: SideBySideColumn): string {
  const n = column.first.requests.length;
  return `${n} request${n === 1 ? "" : "s"}`;
}

function operationsLine(column: SideBySideColumn): string {
  return Object.entries(column.first.counts).map(([op, count]) => `${op} ×${count}`).join(", ") || "(none)";
}

function timeLine(column: SideBySideColumn): string {
  const runs = column.timesMs.length;
  return `median ${formatMs(column.medianMs)} over ${runs} run${runs === 1 ? "" : "s"}`;
}

/**
 * Runs each task `runs` + 1 times, alternating between tasks so that neither gets a warmer
 * server or JIT: the first run is traced (result and requests shown), the others are timed.
 */
export async function sideBySide(tasks: Record<string, () => unknown>, options: SideBySideOptions = {}): Promise<SideBySide> {
  const runs = Math.max(1, options.runs ?? 5);
  const labels = Object.keys(tasks);
  const firsts = new Map<string, Trace>();
  for (const label of labels) firsts.set(label, await trace(tasks[label], options));
  const times = new Map<string, number[]>(labels.map((label) => [label, []]));
  for (let run = 0; run < runs; run++) {
    for (const label of labels) {
      const started = performance.now();
      await tasks[label]();
      times.get(label)!.push(performance.now() - started);
    }
  }
  return new SideBySide(
    labels.map((label) => {
      const timesMs = times.get(label)!;
      return { label, first: firsts.get(label)!, timesMs, medianMs: median(timesMs) };
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Shows the columns next to each other: an HTML table in a notebook, text columns elsewhere. */
export function showSideBySide(comparison: SideBySide): void {
  show({ html: comparison.html() }, comparison.text());
}
