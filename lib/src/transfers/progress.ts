/**
 * Progress of a transfer, kept apart from the transfer logic: transfers only count bytes; this
 * module turns counts into what a person reads (bytes, percent, rate, ETA), in one notebook
 * output updated in place or one terminal line with a bar.
 */
import { formatBytes, formatDuration } from "../display/format";
import { liveOutput, type LiveOutput } from "../display/notebook";

/** What a progress callback receives (boto3's Callback gets only the byte delta; this has the totals). */
export interface TransferProgress {
  /** The s3:// URL or file being transferred. */
  name: string;
  /** Bytes transferred so far. */
  loaded: number;
  /** Bytes in all, when known. */
  total?: number;
}

/** `true` shows a live progress display; a function is called with each update (boto3's `Callback`). */
export type ProgressOption = boolean | ((progress: TransferProgress) => void);

/** Counts a transfer's bytes and reports them to the caller's choice of progress output. */
export interface ProgressCounter {
  add(bytes: number): void;
  finish(): void;
}

const RENDER_EVERY_MS = 250;

export function progressCounter(option: ProgressOption | undefined, name: string, total?: number): ProgressCounter {
  let loaded = 0;
  if (!option) return { add: (bytes) => void (loaded += bytes), finish: () => undefined };
  if (typeof option === "function") {
    return {
      add: (bytes) => option({ name, loaded: (loaded += bytes), total }),
      finish: () => undefined,
    };
  }
  const display = progressDisplay(name, total);
  return {
    add: (bytes) => display.update((loaded += bytes)),
    finish: () => display.done(loaded),
  };
}

/** A live display of one transfer, re-rendered at most every 250 ms. */
export function progressDisplay(name: string, total: number | undefined, output: LiveOutput = liveOutput()) {
  const started = performance.now();
  let lastRender = 0;
  return {
    update(loaded: number) {
      const now = performance.now();
      if (now - lastRender < RENDER_EVERY_MS) return;
      lastRender = now;
      const line = describeProgress(name, loaded, total, (now - started) / 1000);
      output.update(progressHtml(line, loaded, total), `${progressBar(loaded, total)} ${line}`);
    },
    /** The final state leaves out time and rate, so a notebook's saved output is the same every run. */
    done(loaded: number) {
      const line = `${name}: ${formatBytes(loaded)} done`;
      output.done(progressHtml(line, loaded, loaded), `${progressBar(loaded, loaded)} ${line}`);
    },
  };
}

/** `s3://b/k: 12.0 MiB of 64.0 MiB (18.8%), 90.9 MiB/s, ETA 0:01`: binary units, sizes and rate alike. */
export function describeProgress(name: string, loaded: number, total: number | undefined, seconds: number): string {
  const rate = seconds > 0 ? loaded / seconds : 0;
  const parts = [total === undefined ? formatBytes(loaded) : `${formatBytes(loaded)} of ${formatBytes(total)} (${percent(loaded, total)})`];
  if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
  if (rate > 0 && total !== undefined) parts.push(`ETA ${formatDuration((total - loaded) / rate)}`);
  return `${name}: ${parts.join(", ")}`;
}

function percent(loaded: number, total: number): string {
  return total === 0 ? "100%" : `${((100 * loaded) / total).toFixed(1)}%`;
}


/** `[##########··········]`: 20 cells; an unknown total shows an empty bar. */
export function progressBar(loaded: number, total: number | undefined, width = 20): string {
  const filled = total ? Math.min(width, Math.floor((width * loaded) / total)) : total === 0 ? width : 0;
  return `[${"#".repeat(filled)}${"·".repeat(width - filled)}]`;
}

function progressHtml(line: string, loaded: number, total: number | undefined): string {
  const escaped = line.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const bar = total === undefined ? "<progress></progress>" : `<progress value="${loaded}" max="${total || 1}"></progress>`;
  return `<div style="font-family:monospace">${bar} ${escaped}</div>`;
}
