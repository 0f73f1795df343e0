/** Peak RSS of this process in KiB: VmHWM on Linux, getrusage's figure elsewhere (see peak-rss.mjs). */
export function peakRssKib(): number;
