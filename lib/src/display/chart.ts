import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { S3KitError } from "../errors";
import { show } from "./notebook";

/** A Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html), as a plain object. */
export type VegaLiteSpec = Record<string, unknown>;

export interface ChartOptions {
  /** Pixel density of the PNG (default 2: sharp on high-DPI screens, still small). */
  scale?: number;
}

/**
 * Fonts for chart text, best first. resvg draws only fonts it was given: with none, axis labels
 * silently vanish. Debian's fonts-dejavu-core is on most machines (it comes with fontconfig).
 */
const FONTS = [
  { file: "DejaVuSans.ttf", family: "DejaVu Sans" },
  { file: "LiberationSans-Regular.ttf", family: "Liberation Sans" },
  { file: "NotoSans-Regular.ttf", family: "Noto Sans" },
  { file: "Lato-Regular.ttf", family: "Lato" },
  { file: "FreeSans.ttf", family: "FreeSans" },
];
const FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", path.join(os.homedir(), ".local/share/fonts"), "/Library/Fonts", "C:\\Windows\\Fonts"];

let chosenFont: { path: string; family: string } | undefined;

/** The first usable font found, searched once per process. */
export function chartFont(): { path: string; family: string } {
  if (chosenFont) return chosenFont;
  for (const { file, family } of FONTS) {
    for (const dir of FONT_DIRS) {
      const found = findFile(dir, file, 4);
      if (found) return (chosenFont = { path: found, family });
    }
  }
  throw new S3KitError(
    "No font for chart text was found: install one (on Debian or Ubuntu: sudo apt-get install fonts-dejavu-core) and run the cell again.",
    "NotImplemented",
  );
}

function findFile(dir: string, name: string, depth: number): string | undefined {
  if (depth < 0 || !existsSync(dir)) return undefined;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  if (entries.some((e) => e.isFile() && e.name === name)) return path.join(dir, name);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const found = findFile(path.join(dir, entry.name), name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Renders a Vega-Lite chart to PNG: Vega-Lite compiles to a Vega spec, Vega lays it out and draws
 * SVG headless, resvg rasterises the SVG with a real font file. A PNG (unlike SVG) shows even in
 * a notebook that is not trusted.
 */
export async function renderChart(spec: VegaLiteSpec, options: ChartOptions = {}): Promise<Uint8Array> {
  // Loaded on first use: most sessions draw no chart, and vega is a large import.
  const [vega, vegaLite, { Resvg }] = await Promise.all([import("vega"), import("vega-lite"), import("@resvg/resvg-js")]);
  const font = chartFont();
  const config = { font: font.family, background: "white", ...(spec.config as object | undefined) };
  const compiled = vegaLite.compile({ ...spec, config } as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const resvg = new Resvg(svg, {
      fitTo: { mode: "zoom", value: options.scale ?? 2 },
      font: { fontFiles: [font.path], loadSystemFonts: false, defaultFontFamily: font.family, sansSerifFamily: font.family },
    });
    return resvg.render().asPng();
  } finally {
    view.finalize();
  }
}

/** Draws a Vega-Lite chart as a PNG in the notebook; elsewhere prints one line describing it. */
export async function showChart(spec: VegaLiteSpec, options: ChartOptions = {}): Promise<void> {
  const png = await renderChart(spec, options);
  const title = typeof spec.title === "string" ? `"${spec.title}"` : "untitled";
  const mark = typeof spec.mark === "string" ? spec.mark : ((spec.mark as { type?: string } | undefined)?.type ?? "layered");
  show({ png }, `[${mark} chart ${title}: ${png.byteLength} bytes of PNG; in a notebook it is drawn here]`);
}
