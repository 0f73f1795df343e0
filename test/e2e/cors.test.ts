// Issue 15's acceptance: the access lesson (notebook 11), run in headless Chromium from the
// Jupyter page `npm start` serves, where its CORS rule allows pages from http://127.0.0.1 (any
// port). Its last-but-one section puts a script in the page that fetches an object from the S3
// port with a header of its own, so the browser must preflight. The same Jupyter opened at
// http://localhost is another origin: there the browser's preflight is refused and the fetch fails.
import assert from "node:assert/strict";
import { accessSync, constants, rmSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { freePort, processesOf, startKit, waitForJupyterUrl, waitForNoProcessesOf, type Started } from "../helpers/kit";
import { tempDir, testEngine } from "../helpers/server";
import { launchBrowser, openNotebook, runAll } from "./notebook-page";

const CHROMIUM = process.env.S3KIT_CHROMIUM ?? "/usr/bin/chromium";
const ACCESS = "11-access-and-security.ipynb";
const SCREENSHOTS = path.join(path.resolve(__dirname, "..", ".."), "test-output", "e2e");

/** Runs the whole lesson in `page` and returns what its in-browser CORS check wrote. */
async function corsCheck(page: Page): Promise<string> {
  await runAll(page, ACCESS, 480_000);
  const shown = page.locator(".output_area .s3kit-cors-check");
  await page.waitForFunction(
    '[...document.querySelectorAll(".s3kit-cors-check")].some((e) => e.textContent.startsWith("from "))',
    undefined,
    { timeout: 30_000 },
  );
  return (await shown.first().textContent())!.trim();
}

describe("the access lesson's CORS preflight in a real browser", { concurrency: false, skip: testEngine() !== "ceph" && "notebook 11 needs the ceph engine" }, () => {
  const home = tempDir("s3kit-home-");
  let kit: Started | undefined;
  let browser: BrowserContext | undefined;
  let jupyter: URL;

  before(async () => {
    try {
      accessSync(CHROMIUM, constants.X_OK);
    } catch {
      assert.fail(`Chromium is missing (no executable ${CHROMIUM}): run \`npm test\` once as root to install it, or \`sudo apt-get install -y chromium\`.`);
    }
    kit = startKit({ S3KIT_HOME: home, S3KIT_SERVER: "ceph", S3KIT_PORT: String(await freePort()), S3KIT_JUPYTER_PORT: String(await freePort()) });
    jupyter = new URL(await waitForJupyterUrl(kit));
    browser = await launchBrowser(CHROMIUM, path.join(home, "chromium-profile"), { S3KIT_HOME: home });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (kit && kit.child.exitCode === null) {
      kit.child.kill("SIGTERM");
      await kit.exited;
    }
    for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    await waitForNoProcessesOf(home);
    rmSync(home, { recursive: true, force: true });
  });

  test("at http://127.0.0.1 (allowed) the preflight succeeds and the page reads the object; at http://localhost (another origin) the browser blocks it", { timeout: 1_200_000 }, async () => {
    const token = jupyter.searchParams.get("token")!;
    const allowed = await openNotebook(browser!, jupyter.origin, token, ACCESS);
    try {
      assert.match(await corsCheck(allowed), /^from http:\/\/127\.0\.0\.1:\d+: preflight allowed; GET 200: Open to everyone\.$/);
    } finally {
      await allowed.screenshot({ path: path.join(SCREENSHOTS, "11-cors-allowed.png"), fullPage: true }).catch(() => {});
      await allowed.close();
    }
    const otherOrigin = jupyter.origin.replace("127.0.0.1", "localhost");
    const refused = await openNotebook(browser!, otherOrigin, token, ACCESS);
    try {
      assert.match(await corsCheck(refused), /^from http:\/\/localhost:\d+: blocked by CORS \(Failed to fetch\)$/);
    } finally {
      await refused.screenshot({ path: path.join(SCREENSHOTS, "11-cors-refused.png"), fullPage: true }).catch(() => {});
      await refused.close();
    }
  });
});
