// The kit's look in Jupyter Notebook 6: a custom.css the notebook page loads on every page.
// Notebook 6 serves `/custom/custom.css` from `custom/` in its config folder (JUPYTER_CONFIG_DIR,
// else ~/.jupyter), so the kit gives its Jupyter a config folder of its own, in the kit home,
// and writes the stylesheet there: nothing in the user's ~/.jupyter is read or changed.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { kitHome } from "./setup.mjs";

/**
 * Notebook 6 right-aligns every cell of a rendered markdown table (`.rendered_html td, th` in its
 * style.min.css), which makes tables of names and code hard to scan: the kit's lessons read them
 * left-aligned. Only markdown cells: output tables (DataFrames, traces) align their own cells.
 */
export const NOTEBOOK_CSS = `/* Written by s3kit (scripts/notebook-style.mjs) on every start; edits here are overwritten. */
.text_cell_render.rendered_html th,
.text_cell_render.rendered_html td {
  text-align: left;
}
`;

/** Writes the kit's custom.css; returns the environment that makes Jupyter load it. */
export function installNotebookStyle(configDir = path.join(kitHome, "jupyter-config")) {
  const customDir = path.join(configDir, "custom");
  mkdirSync(customDir, { recursive: true });
  writeFileSync(path.join(customDir, "custom.css"), NOTEBOOK_CSS);
  return { JUPYTER_CONFIG_DIR: configDir };
}
