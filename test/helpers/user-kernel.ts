import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import * as kernelspec from "../../scripts/kernelspec.mjs";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { python } from "../../scripts/setup.mjs";
import { tempDir } from "./server";

export interface RanCell {
  outputs: { output_type: string; text?: string | string[]; data?: Record<string, string | string[]> }[];
}

/**
 * Runs code cells as a learner's own notebook, saved outside notebooks/, on the kernel
 * `npm run kernel -- install` registers (in a Jupyter data folder of its own), with Jupyter's
 * nbconvert; returns the executed cells.
 */
export function runInUserKernel(sources: string[]): RanCell[] {
  const dataDir = tempDir("s3kit-jupyter-");
  kernelspec.installUserKernel(kernelspec.userKernelsDir({ JUPYTER_DATA_DIR: dataDir }));
  const folder = tempDir("s3kit-elsewhere-");
  const notebook = {
    cells: sources.map((source, index) => ({ id: `cell-${index}`, cell_type: "code", metadata: {}, outputs: [], execution_count: null, source })),
    metadata: { kernelspec: { name: "s3kit", display_name: "TypeScript (s3kit)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(path.join(folder, "mine.ipynb"), JSON.stringify(notebook));
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_DATA_DIR: dataDir };
  delete env.JUPYTER_PATH;
  const run = spawnSync(python, ["-m", "nbconvert", "--to", "notebook", "--execute", "--output", "ran.ipynb", "mine.ipynb"], { cwd: folder, env, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(readFileSync(path.join(folder, "ran.ipynb"), "utf8")) as { cells: RanCell[] }).cells;
}
