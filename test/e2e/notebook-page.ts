// Driving Jupyter Notebook 6's classic UI the way a learner does, and reading back what the page
// shows: prompts, outputs, images. Everything is read from the DOM, not from the notebook file.
import assert from "node:assert/strict";
import { chromium as playwright, errors as playwrightErrors, type BrowserContext, type Page } from "playwright-core";

/**
 * Headless Debian Chromium with a fresh profile in `profile`, a folder the caller removes once every browser process
 * has exited (Chromium's helpers keep writing to it for a moment after close). `env` reaches every browser process, so
 * the kit's stray-process check (by S3KIT_HOME) sees the browser too.
 */
export async function launchBrowser(executablePath: string, profile: string, env: Record<string, string>): Promise<BrowserContext> {
  const browser = await playwright.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    env: { ...process.env, ...env } as Record<string, string>,
    viewport: { width: 1280, height: 1000 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  return browser;
}

/** The file names the notebook list (/tree) shows. */
export async function listedNotebooks(page: Page, treeUrl: string): Promise<string[]> {
  await page.goto(treeUrl);
  await page.locator("#notebook_list .list_item a.item_link[href$='.ipynb']").first().waitFor({ timeout: 30_000 });
  return (await page.locator("#notebook_list .list_item a.item_link[href$='.ipynb'] .item_name").allTextContents()).map((name) => name.trim());
}

export interface RenderedCell {
  /** Position among all cells, markdown included: the numbering scripts/run_notebooks.py uses. */
  index: number;
  firstLine: string;
  /** The prompt's number, "*" while running, "" when it has not run. */
  prompt: string;
  /** Error and stderr text the cell's output area shows. */
  errors: string;
  /** All text the cell's outputs show. */
  text: string;
  /** Tagged "raises-exception": its error is the lesson, and Run All goes on after it. */
  raises: boolean;
}

/** Opens a notebook and waits until its kernel is idle; autosave off so the files stay as committed. */
export async function openNotebook(context: BrowserContext, baseUrl: string, token: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/notebooks/${encodeURIComponent(name)}?token=${token}`);
  await page.locator("#kernel_indicator_icon.kernel_idle_icon").waitFor({ state: "attached", timeout: 60_000 });
  await page.evaluate("Jupyter.notebook.set_autosave_interval(0)");
  return page;
}

/** What every cell of the open notebook shows. */
export async function renderedCells(page: Page): Promise<RenderedCell[]> {
  const cells = await page.locator("#notebook-container > .cell").evaluateAll((elements) =>
    elements.map((cell, index) => {
      const lines = [...cell.querySelectorAll(".input_area .CodeMirror-line")].map((line) => (line.textContent ?? "").replace(/\u200b/g, ""));
      const outputs = cell.querySelector(".output");
      return {
        index,
        code: cell.classList.contains("code_cell"),
        firstLine: (lines.find((line) => line.trim()) ?? "(empty cell)").slice(0, 80),
        prompt: (cell.querySelector(".input_prompt")?.textContent ?? "").match(/\[(.*)\]/)?.[1]?.trim() ?? "",
        errors: [...cell.querySelectorAll(".output_stderr, .output_error")].map((e) => (e.textContent ?? "").trim()).join("\n"),
        text: (outputs?.textContent ?? "").trim(),
      };
    }),
  );
  const raises = (await page.evaluate(
    "Jupyter.notebook.get_cells().map((cell) => (cell.metadata.tags ?? []).includes('raises-exception'))",
  )) as boolean[];
  return cells.filter((cell) => cell.code).map(({ code: _code, ...cell }) => ({ ...cell, raises: raises[cell.index] ?? false }));
}

/**
 * Cell → Run All from the menu bar, then waits until no cell is running and the kernel is idle.
 * Fails naming the notebook and the first cell that shows an error or did not run.
 */
export async function runAll(page: Page, name: string, timeoutMs = 240_000): Promise<RenderedCell[]> {
  await page.locator("#celllink").click();
  await page.locator("#run_all_cells > a").click();
  // The click marks every cell running before it returns, so "none running" below means all replied.
  try {
    await page.waitForFunction(
      '!document.querySelector("#notebook-container .code_cell.running") && document.querySelector("#kernel_indicator_icon").className === "kernel_idle_icon"',
      undefined,
      { timeout: timeoutMs, polling: 250 },
    );
  } catch (error) {
    if (!(error instanceof playwrightErrors.TimeoutError)) throw error;
    const running = (await renderedCells(page)).find((cell) => cell.prompt === "*");
    assert.fail(`${name}: ${running ? `cell ${running.index} (${running.firstLine}) is` : "the kernel is"} still running after Run All for ${timeoutMs / 1000} s.`);
  }
  const cells = await renderedCells(page);
  assertNoFailedCell(name, cells);
  return cells;
}

/**
 * Runs one cell as a learner does: click into it, Shift+Enter. Waits until it has run and the
 * kernel is idle, and returns what the cell shows.
 */
export async function runCell(page: Page, index: number, timeoutMs = 60_000): Promise<RenderedCell> {
  await page.locator("#notebook-container > .cell").nth(index).locator(".input_area").click();
  await page.keyboard.press("Shift+Enter");
  await page.waitForFunction(
    `(() => { const cell = document.querySelectorAll("#notebook-container > .cell")[${index}];
      const prompt = cell.querySelector(".input_prompt")?.textContent ?? "";
      return !cell.classList.contains("running") && !prompt.includes("*") && /\\[\\s*\\d+\\s*\\]/.test(prompt)
        && document.querySelector("#kernel_indicator_icon").className === "kernel_idle_icon"; })()`,
    undefined,
    { timeout: timeoutMs, polling: 250 },
  );
  const cells = await renderedCells(page);
  return cells.find((cell) => cell.index === index)!;
}

/** Index (as runCell counts it) of the first cell whose source contains `text`. */
export async function cellContaining(page: Page, name: string, text: string): Promise<number> {
  const index = (await page.evaluate(
    `Jupyter.notebook.get_cells().findIndex((cell) => cell.get_text().includes(${JSON.stringify(text)}))`,
  )) as number;
  assert.ok(index >= 0, `${name} has no cell containing ${JSON.stringify(text)}.`);
  return index;
}

/** Enough of an error shown in a cell to say what went wrong (a stack trace can run to pages). */
const SHOWN_ERROR_LINES = 15;

/** Fails naming the notebook and the first cell that shows an error or, after Run All, did not run. */
export function assertNoFailedCell(name: string, cells: RenderedCell[], afterRunAll = true): void {
  const notRun = (cell: RenderedCell) => afterRunAll && cell.firstLine !== "(empty cell)" && !/^\d+$/.test(cell.prompt);
  const failed = cells.find((cell) => cell.errors && !cell.raises) ?? cells.find(notRun);
  if (!failed) return;
  const lines = (failed.errors || `(no error shown; prompt "In [${failed.prompt}]": it did not run, so the cell before it stopped Run All)`).split("\n");
  const shown = lines.length > SHOWN_ERROR_LINES ? [...lines.slice(0, SHOWN_ERROR_LINES), `… (${lines.length - SHOWN_ERROR_LINES} more lines)`] : lines;
  assert.fail(`${name} cell ${failed.index} (${failed.firstLine}) failed in the browser:\n${shown.map((line) => `    ${line}`).join("\n")}`);
}

export interface ShownImage {
  element: "img" | "svg";
  /** The loaded image's own width (0 when it failed to load); an inline SVG's drawn width. */
  naturalWidth: number;
  /** Width on the page, in CSS pixels: 0 when the image is hidden. */
  shownWidth: number;
}

/**
 * Every image in an output area, once each has finished loading (or failed to): PNG/JPEG outputs
 * as `<img>`, and SVG outputs, which the page draws inline (only in a trusted notebook).
 */
export async function outputImages(page: Page): Promise<ShownImage[]> {
  await page.waitForFunction('[...document.querySelectorAll(".output_area img")].every((img) => img.complete)', undefined, { timeout: 30_000 });
  return page.locator(".output_area img, .output_area .output_svg svg").evaluateAll((images) =>
    images.map((image) => {
      const shownWidth = image.getBoundingClientRect().width;
      return image.tagName === "IMG"
        ? { element: "img" as const, naturalWidth: image.naturalWidth, shownWidth }
        : { element: "svg" as const, naturalWidth: shownWidth, shownWidth };
    }),
  );
}

/** The size the README's screenshot is taken at: a laptop's browser window. */
export const SCREENSHOT_SIZE = { width: 1280, height: 800 };

/**
 * A picture of what the window shows (not the whole page), scrolled so that `selector`'s first
 * element ends at the bottom of the window (what leads to it above), as a PNG; the page's viewport
 * stays at SCREENSHOT_SIZE afterwards.
 */
export async function windowScreenshot(page: Page, selector: string): Promise<Buffer> {
  await page.setViewportSize(SCREENSHOT_SIZE);
  await page.locator(selector).first().evaluate((element) => element.scrollIntoView({ block: "end" }));
  return page.screenshot({ type: "png" });
}

/** A PNG's width and height, read from its header (IHDR). */
export function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG", "not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
