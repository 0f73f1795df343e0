// Issue 15's acceptance: the access lesson (notebook 11), in headless Chromium from the Jupyter
// page `npm start` serves, where its CORS rule allows pages from http://127.0.0.1 (any port). Its
// last-but-one section puts a script in the page that fetches an object from the S3 port with a
// header of its own, so the browser must preflight. The same Jupyter opened at http://localhost is
// another origin: there the browser's preflight is refused and the fetch fails. Only the cells the
// demonstration needs run (a tslab cell takes seconds; the whole lesson twice took minutes), and
// the second page shares the first one's kernel, so there only the fetch cell runs.
import assert from "node:assert/strict";
import { accessSync, constants, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { createClient, ServiceResource, type ClusterCredentials } from "s3kit";
import { freePort, processesOf, startKit, waitForJupyterUrl, waitForNoProcessesOf, type Started } from "../helpers/kit";
import { tempDir, testEngine } from "../helpers/server";
import { assertNoFailedCell, cellContaining, launchBrowser, openNotebook, renderedCells, runCell } from "./notebook-page";

const CHROMIUM = process.env.S3KIT_CHROMIUM ?? "/usr/bin/chromium";
const ACCESS = "11-access-and-security.ipynb";
const SCREENSHOTS = path.join(path.resolve(__dirname, "..", ".."), "test-output", "e2e");

// The lesson's cells this test runs, each named by a piece of its source.
const CONNECT = "await connect(";
const CREATE_BUCKET = "await bucket.create()"; // with public/notice.txt, the object the page fetches
const PUT_CORS_RULE = "await cors.put(";
const FETCH_IN_THE_PAGE = "s3kit-cors-check";
/**
 * What the lesson's anonymous-access section allows, put here directly: the browser's fetch is
 * anonymous. The lesson builds this policy over four cells (one fails on purpose) that the
 * headless notebook run checks; running them here would double this test's time.
 */
const ANYONE_READS_PUBLIC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::access-demo/public/*"] }],
});

/** The kit's server as its user, through the SDK (the keys are in the kit home's Ceph folder). */
function kitResource(home: string, s3Port: string): ServiceResource {
  const { kit } = JSON.parse(readFileSync(path.join(home, "ceph", "credentials.json"), "utf8")) as ClusterCredentials;
  return new ServiceResource(createClient({ kind: "local", endpoint: `http://127.0.0.1:${s3Port}`, region: "us-east-1" }, kit));
}

/** Opens the lesson at `origin` with no outputs shown, so every output checked comes from this run. */
async function openLesson(browser: BrowserContext, origin: string, token: string): Promise<Page> {
  const page = await openNotebook(browser, origin, token, ACCESS);
  await page.evaluate("Jupyter.notebook.clear_all_output()");
  return page;
}

/** Runs the cells containing `sources`, in order, as a learner does; fails on any cell's error. */
async function runCells(page: Page, ...sources: string[]): Promise<void> {
  for (const source of sources) await runCell(page, await cellContaining(page, ACCESS, source), 120_000);
  assertNoFailedCell(ACCESS, await renderedCells(page), false);
}

/** Runs the lesson's in-browser fetch in `page` and returns what it wrote. */
async function corsCheck(page: Page): Promise<string> {
  await runCells(page, FETCH_IN_THE_PAGE);
  await page.waitForFunction(
    '[...document.querySelectorAll(".s3kit-cors-check")].some((e) => e.textContent.startsWith("from "))',
    undefined,
    { timeout: 30_000 },
  );
  return (await page.locator(".output_area .s3kit-cors-check").first().textContent())!.trim();
}

describe("the access lesson's CORS preflight in a real browser", { concurrency: false, skip: testEngine() !== "ceph" && "notebook 11 needs the ceph engine" }, () => {
  const home = tempDir("s3kit-home-");
  let kit: Started | undefined;
  let browser: BrowserContext | undefined;
  let jupyter: URL;
  let resource: ServiceResource | undefined;
  const demo = "access-demo";

  before(async () => {
    try {
      accessSync(CHROMIUM, constants.X_OK);
    } catch {
      assert.fail(`Chromium is missing (no executable ${CHROMIUM}): run \`npm test\` once as root to install it, or \`sudo apt-get install -y chromium\`.`);
    }
    const s3Port = String(await freePort());
    kit = startKit({ S3KIT_HOME: home, S3KIT_SERVER: "ceph", S3KIT_PORT: s3Port, S3KIT_JUPYTER_PORT: String(await freePort()) });
    jupyter = new URL(await waitForJupyterUrl(kit));
    resource = kitResource(home, s3Port);
    browser = await launchBrowser(CHROMIUM, path.join(home, "chromium-profile"), { S3KIT_HOME: home });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    const bucket = resource?.bucket(demo);
    if (bucket && (await bucket.exists().catch(() => false))) {
      await bucket.objects.all().delete();
      await bucket.delete();
    }
    resource?.meta.client.destroy();
    if (kit && kit.child.exitCode === null) {
      kit.child.kill("SIGTERM");
      await kit.exited;
    }
    for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    await waitForNoProcessesOf(home);
    rmSync(home, { recursive: true, force: true });
  });

  test("at http://127.0.0.1 (allowed) the preflight succeeds and the page reads the object; at http://localhost (another origin) the browser blocks it", { timeout: 300_000 }, async () => {
    const token = jupyter.searchParams.get("token")!;
    const allowed = await openLesson(browser!, jupyter.origin, token);
    try {
      await runCells(allowed, CONNECT, CREATE_BUCKET);
      await resource!.bucketPolicy(demo).put({ Policy: ANYONE_READS_PUBLIC });
      await runCells(allowed, PUT_CORS_RULE);
      assert.match(await corsCheck(allowed), /^from http:\/\/127\.0\.0\.1:\d+: preflight allowed; GET 200: Open to everyone\.$/);
    } finally {
      await allowed.screenshot({ path: path.join(SCREENSHOTS, "11-cors-allowed.png"), fullPage: true }).catch(() => {});
      await allowed.close();
    }
    const otherOrigin = jupyter.origin.replace("127.0.0.1", "localhost");
    const refused = await openLesson(browser!, otherOrigin, token);
    try {
      assert.match(await corsCheck(refused), /^from http:\/\/localhost:\d+: blocked by CORS \(Failed to fetch\)$/);
    } finally {
      await refused.screenshot({ path: path.join(SCREENSHOTS, "11-cors-refused.png"), fullPage: true }).catch(() => {});
      await refused.close();
    }
  });
});
