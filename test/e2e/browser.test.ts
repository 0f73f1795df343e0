// `npm start` as a learner sees it: the kit started exactly as `npm start` starts it, its Jupyter
// page driven in headless Chromium (Debian's, through playwright-core). Screenshots of every page
// checked go to test-output/e2e/ for a person to look at.
import assert from "node:assert/strict";
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { sha256 } from "../helpers/hash";
import { freePort, isFree, processesOf, root, startKit, waitForJupyterUrl, waitForNoProcessesOf, type Started } from "../helpers/kit";
import { tempDir } from "../helpers/server";
import {
  assertNoFailedCell, launchBrowser, listedNotebooks, openNotebook, pngSize, renderedCells, outputImages, runAll, runCell, SCREENSHOT_SIZE,
  windowScreenshot, type ShownImage,
} from "./notebook-page";

/** Debian's Chromium, installed by scripts/setup.mjs (ensureChromium); S3KIT_CHROMIUM names another. */
const CHROMIUM = process.env.S3KIT_CHROMIUM ?? "/usr/bin/chromium";
const NOTEBOOKS = path.join(root, "notebooks");
const SCREENSHOTS = path.join(root, "test-output", "e2e");
const CLIENTS_AND_RESOURCES = "02-clients-and-resources.ipynb";
const CSV_TO_DATAFRAME = "08-csv-to-dataframe.ipynb";
/** The README's picture: notebook 02 after Run All, its side-by-side table in view (`npm run screenshot` writes it). */
const README_SCREENSHOT = path.join(root, "docs", "screenshot.png");
const SCREENSHOT_BYTES = 300_000;

/** Hash of every committed notebook: opening and running them in the browser must not rewrite them. */
function notebookHashes(): Record<string, string> {
  const names = readdirSync(NOTEBOOKS).filter((name) => name.endsWith(".ipynb")).sort();
  return Object.fromEntries(names.map((name) => [name, sha256(readFileSync(path.join(NOTEBOOKS, name)))]));
}

/** How many outputs of the committed notebook are images (PNG, JPEG, SVG ...): its charts. */
function committedImageOutputs(name: string): number {
  const notebook = JSON.parse(readFileSync(path.join(NOTEBOOKS, name), "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  const outputs = notebook.cells.flatMap((cell) => cell.outputs ?? []);
  return outputs.filter((output) => Object.keys(output.data ?? {}).some((mime) => mime.startsWith("image/"))).length;
}

/** True when the page shows `expected` images (at least one), each loaded and taking space on the page. */
function allVisible(images: ShownImage[], expected: number): boolean {
  return expected > 0 && images.length === expected && images.every((image) => image.naturalWidth > 0 && image.shownWidth > 0);
}

describe("npm start in a real browser", { concurrency: false }, () => {
  const home = tempDir("s3kit-home-");
  let kit: Started | undefined;
  let browser: BrowserContext | undefined;
  let jupyterPort = 0;
  let s3Port = 0;
  let baseUrl = "";
  let token = "";
  let treeUrl = "";
  const committed = notebookHashes();

  async function screenshot(page: Page, name: string): Promise<string> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  before(async () => {
    try {
      accessSync(CHROMIUM, constants.X_OK);
    } catch {
      assert.fail(`Chromium is missing (no executable ${CHROMIUM}): run \`npm test\` once as root to install it, or \`sudo apt-get install -y chromium\`.`);
    }
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    [s3Port, jupyterPort] = [await freePort(), await freePort()];
    kit = startKit({ S3KIT_HOME: home, S3KIT_PORT: String(s3Port), S3KIT_JUPYTER_PORT: String(jupyterPort) });
    treeUrl = await waitForJupyterUrl(kit);
    baseUrl = new URL(treeUrl).origin;
    token = new URL(treeUrl).searchParams.get("token")!;
    // Inside the kit's temporary home, removed in after() once no process of it is left.
    browser = await launchBrowser(CHROMIUM, path.join(home, "chromium-profile"), { S3KIT_HOME: home });
  });

  after(async () => {
    // Only after a failure is anything left here: stop it all the same.
    await browser?.close().catch(() => {});
    if (kit && kit.child.exitCode === null) kit.child.kill("SIGKILL");
    for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    await waitForNoProcessesOf(home);
    rmSync(home, { recursive: true, force: true });
  });

  test("the notebook list shows every notebook", { timeout: 60_000 }, async (t) => {
    const page = await browser!.newPage();
    const listed = await listedNotebooks(page, treeUrl);
    t.diagnostic(`screenshots: ${SCREENSHOTS}`);
    await screenshot(page, "00-notebook-list");
    await page.close();
    assert.deepEqual([...listed].sort(), Object.keys(committed));
  });

  test(`${CLIENTS_AND_RESOURCES}: Run All shows the bucket listing and the side-by-side table, and no error`, { timeout: 300_000 }, async () => {
    assert.ok(CLIENTS_AND_RESOURCES in committed, `${CLIENTS_AND_RESOURCES} is missing from notebooks/`);
    const page = await openNotebook(browser!, baseUrl, token, CLIENTS_AND_RESOURCES);
    try {
      const cells = await runAll(page, CLIENTS_AND_RESOURCES);
      assert.ok(cells.some((cell) => cell.text.includes("s3kit-data")), "a cell shows the bucket listing (s3kit-data)");
      assert.ok(await page.locator(".output_area .s3kit-side-by-side").first().isVisible(), "the side-by-side table (class s3kit-side-by-side) is visible");
      const picture = await windowScreenshot(page, ".output_area .s3kit-side-by-side");
      writeFileSync(path.join(SCREENSHOTS, "readme-screenshot.png"), picture);
      assert.deepEqual(pngSize(picture), SCREENSHOT_SIZE);
      assert.ok(picture.length < SCREENSHOT_BYTES, `the README screenshot takes ${picture.length} bytes (at most ${SCREENSHOT_BYTES})`);
      if (process.env.S3KIT_WRITE_SCREENSHOT === "1") writeFileSync(README_SCREENSHOT, picture);
    } finally {
      await screenshot(page, "02-clients-and-resources").catch(() => {});
      await page.close();
    }
  });

  test("the README's screenshot is a 1280×800 PNG under 300 KB (npm run screenshot retakes it)", () => {
    const picture = readFileSync(README_SCREENSHOT);
    assert.deepEqual(pngSize(picture), SCREENSHOT_SIZE);
    assert.ok(picture.length < SCREENSHOT_BYTES, `docs/screenshot.png takes ${picture.length} bytes (at most ${SCREENSHOT_BYTES})`);
  });

  test(`${CSV_TO_DATAFRAME}: the charts show as committed (untrusted) and after Run All`, { timeout: 300_000 }, async () => {
    assert.ok(CSV_TO_DATAFRAME in committed, `${CSV_TO_DATAFRAME} is missing from notebooks/`);
    const page = await openNotebook(browser!, baseUrl, token, CSV_TO_DATAFRAME);
    try {
      assert.match((await page.locator("#notification_trusted").textContent()) ?? "", /Not Trusted/, "opened as committed: not trusted");
      assertNoFailedCell(`${CSV_TO_DATAFRAME} (as committed)`, await renderedCells(page), false);
      // The kit's custom.css (scripts/notebook-style.mjs): markdown tables read left-aligned.
      const markdownCell = page.locator(".text_cell_render table td").first();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const textAlign = await markdownCell.evaluate((td) => (globalThis as any).getComputedStyle(td).textAlign);
      assert.equal(textAlign, "left", "a markdown table cell is left-aligned");
      const expected = committedImageOutputs(CSV_TO_DATAFRAME);
      const committedCharts = await outputImages(page);
      await screenshot(page, "08-csv-to-dataframe-committed");
      assert.ok(allVisible(committedCharts, expected), `all ${expected} chart images of the committed notebook show: ${JSON.stringify(committedCharts)}`);

      await runAll(page, CSV_TO_DATAFRAME);
      const charts = await outputImages(page);
      assert.ok(allVisible(charts, expected), `all ${expected} chart images show after Run All: ${JSON.stringify(charts)}`);
    } finally {
      await screenshot(page, "08-csv-to-dataframe-run").catch(() => {});
      await page.close();
    }
  });

  test("a learner's own notebook: a cell fails in a few lines naming the object, the next cell still sees the earlier names, a DataFrame shows as a table", { timeout: 300_000 }, async () => {
    // A notebook of the learner's, in the notebook folder for the length of this test only.
    const name = `scratch-${process.pid}.ipynb`;
    const file = path.join(NOTEBOOKS, name);
    const cell = (source: string) => ({ cell_type: "code", metadata: {}, outputs: [], execution_count: null, source });
    const notebook = {
      cells: [
        cell('import { connect } from "s3kit";\nconst { client } = await connect();\nconst Bucket = "s3kit-data";'),
        cell('import { HeadObjectCommand } from "@aws-sdk/client-s3";\nconst marker = 42;\nawait client.send(new HeadObjectCommand({ Bucket, Key: "missing.txt" }));'),
        cell("console.log(marker + 1, Bucket, HeadObjectCommand.name)"),
        cell('import * as dfd from "danfojs-node";\nnew dfd.DataFrame({ city: ["Oslo", "Lima", "Pune"], temp: [4.5, 19.1, 27.3] })'),
      ],
      metadata: { kernelspec: { name: "s3kit", display_name: "TypeScript (s3kit)", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(file, JSON.stringify(notebook));
    const page = await openNotebook(browser!, baseUrl, token, name);
    try {
      assert.equal((await runCell(page, 0)).errors, "");
      const failed = await runCell(page, 1);
      assert.match(failed.errors, /NotFound · HTTP 404 · HeadObject · s3:\/\/s3kit-data\/missing\.txt/);
      const shownLines = await page.locator("#notebook-container > .cell").nth(1).locator(".output_error").innerText();
      assert.ok(shownLines.trim().split("\n").length <= 8, `the error fits in 8 lines:\n${shownLines}`);
      assert.doesNotMatch(shownLines, /node_modules/);

      // tslab aborts what arrives within 200 ms of an error (so Run All stops there, as Jupyter's
      // stop_on_error asks); a learner reads the error before running the next cell.
      await page.waitForTimeout(1_000);
      const next = await runCell(page, 2);
      assert.equal(next.errors, "", "the cell after the failed one runs");
      assert.match(next.text, /43 s3kit-data HeadObjectCommand/);

      await runCell(page, 3);
      const table = page.locator("#notebook-container > .cell").nth(3).locator(".output_area table.s3kit-dataframe");
      assert.ok(await table.isVisible(), "the DataFrame shows as the kit's HTML table");
      assert.match(await table.innerText(), /Oslo[\s\S]*27\.3[\s\S]*3 rows × 2 columns/);
    } finally {
      await screenshot(page, "learner-notebook").catch(() => {});
      await page.close();
      rmSync(file, { force: true });
    }
  });

  test("SIGTERM to npm start stops S3, Jupyter and its kernels; the browser closes; nothing is left running", { timeout: 60_000 }, async () => {
    await browser!.close();
    browser = undefined;
    kit!.child.kill("SIGTERM");
    assert.equal(await kit!.exited, 0);
    await waitForNoProcessesOf(home);
    assert.ok(await isFree(s3Port), "the S3 port is free again");
    assert.ok(await isFree(jupyterPort), "the Jupyter port is free again");
    assert.deepEqual(notebookHashes(), committed, "the notebooks on disk are as committed (nothing saved by the browser)");
    assert.doesNotMatch(kit!.output(), /unknown msg_type/, "the kernel logged no message type as unknown");
  });
});
