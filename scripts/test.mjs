// `npm test`: everything, from a fresh clone. Type-check, the lib's tests against a real embedded
// S3 server, every notebook executed headless with the tslab kernel, `npm start` driven in headless
// Chromium, then one summary line. With test files as arguments: setup, type-check and those only.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { checkCommittedNotebooks, runNotebooks } from "./notebook-runner.mjs";
import { checkTable, observedTable, readObservations } from "./readme-tables.mjs";
import { ensureChromium, ensureDebianPackages, localTargetEnv, root, setup, SetupError } from "./setup.mjs";

function step(title) {
  console.log(`\n== ${title}`);
}

/** The *.test.ts files directly in `folder` (relative to the root), in name order. */
function testFiles(folder) {
  return readdirSync(path.join(root, folder)).filter((f) => f.endsWith(".test.ts")).sort().map((f) => path.join(folder, f));
}

/**
 * One local S3 server for a whole run of test files, in a temporary kit home (a Ceph cluster takes
 * seconds to start: once per run, not per file), described to them through the environment
 * (test/helpers/server.ts reads it); stopped and removed at the end.
 */
async function withTestServer(engine, work) {
  const s3kit = createRequire(import.meta.url)(path.join(root, "lib"));
  const home = mkdtempSync(path.join(os.tmpdir(), "s3kit-test-home-"));
  const dataDir = path.join(home, engine === "ceph" ? "ceph" : "data");
  const started = Date.now();
  const server = await s3kit.startLocalServer({ engine, dataDir, port: 0 });
  console.log(`s3kit: tests run on ${s3kit.ENGINE_LABELS[engine]} at ${server.endpoint} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const other = engine === "ceph" ? JSON.parse(readFileSync(path.join(dataDir, "credentials.json"), "utf8")).other : undefined;
  const { S3KIT_ACCESS_KEY_ID, S3KIT_SECRET_ACCESS_KEY } = localTargetEnv(server);
  const env = {
    S3KIT_TEST_ENGINE: engine,
    S3KIT_TEST_ENDPOINT: server.endpoint,
    S3KIT_TEST_DATA_DIR: dataDir,
    S3KIT_TEST_PID: String(server.pid),
    S3KIT_ACCESS_KEY_ID,
    S3KIT_SECRET_ACCESS_KEY,
    ...(other && { S3KIT_TEST_OTHER_ACCESS_KEY_ID: other.accessKeyId, S3KIT_TEST_OTHER_SECRET_ACCESS_KEY: other.secretAccessKey }),
  };
  try {
    const result = await work(env);
    if (interrupted) throw new SetupError("interrupted");
    return result;
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Checks (or, with S3KIT_UPDATE_README=1, rewrites) lib/README.md's "What runs where" table; counts as one test. */
function checkWhatRunsWhere(observations) {
  const table = observedTable(readObservations(observations));
  const { ok, message } = checkTable(path.join(root, "lib", "README.md"), "what-runs-where", table, { update: process.env.S3KIT_UPDATE_README === "1" });
  console.log(`s3kit: ${message}`);
  return ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

/** Runs test files with node:test (spec output on the console); their pass/fail counts from TAP. */
function nodeTests(files, env = {}) {
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-report-"));
  const tap = path.join(reportDir, "report.tap");
  const run = spawnSync(
    process.execPath,
    // Two files at a time: much of a file's time is spent waiting on servers (a Ceph start, Jupyter).
    ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files],
    { cwd: root, stdio: "inherit", env: { ...process.env, S3KIT_TARGET: "local", ...env } },
  );
  let report = "";
  try {
    report = readFileSync(tap, "utf8");
  } catch {
    // the runner died before writing its report: counted as one failure below
  }
  rmSync(reportDir, { recursive: true, force: true });
  const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? 0);
  return {
    passed: count("pass"),
    todo: count("todo"),
    failed: count("fail") + count("cancelled") + (run.status !== 0 && count("fail") === 0 ? 1 : 0),
  };
}

/**
 * The files the s3rver lane runs: not the engine lifecycle, nor the checks that involve no server
 * (the browser test runs once, at the end).
 */
const S3RVER_LANE = testFiles("test").filter((file) => !/(ceph-engine|start|notebook-checks|planted-faults|readme-tables)\.test\.ts$/.test(file));

let interrupted = false;

async function main() {
  // Ctrl-C reaches the test runner too; once it has stopped, the run's server is stopped before exiting.
  process.on("SIGINT", () => (interrupted = true)).on("SIGTERM", () => (interrupted = true));
  step("setup");
  setup();
  // Optional: with Debian's pandas present, the CSV tests compare against pandas.read_csv itself.
  try {
    ensureDebianPackages(["python3-pandas"], ["pandas"], "pandas");
  } catch (error) {
    console.log(`s3kit: ${error.message} (CSV tests fall back to written expectations)`);
  }
  // The boto3 parity test reads boto3's own S3 resource model.
  try {
    ensureDebianPackages(["python3-boto3"], ["boto3"], "boto3");
  } catch (error) {
    console.log(`s3kit: ${error.message} (the boto3 parity test will fail)`);
  }
  try {
    ensureChromium();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.log(`s3kit: ${error.message} (the browser test will fail)`);
  }

  step("type-check");
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) throw new SetupError("The type-check failed (see above).");

  const only = process.argv.slice(2);
  let passed = 0;
  let failed = 0;
  let todo = 0;
  const tally = (counts) => {
    passed += counts.passed;
    failed += counts.failed;
    todo += counts.todo ?? 0;
  };
  const engine = createRequire(import.meta.url)(path.join(root, "lib")).chooseEngine().engine;
  if (only.length) {
    step(`tests: ${only.join(" ")}`);
    await withTestServer(engine, async (env) => tally(nodeTests(only, env)));
  } else {
    const observations = path.join(mkdtempSync(path.join(os.tmpdir(), "s3kit-observed-")), "observed.jsonl");
    step(`lib tests (node:test against the local S3 server: ${engine})`);
    await withTestServer(engine, async (env) => tally(nodeTests(testFiles("test"), { ...env, S3KIT_TEST_OBSERVATIONS: observations })));
    if (engine !== "s3rver") {
      // The fallback engine stays honest: the same suite on s3rver, where what needs Ceph is skipped.
      step("lib tests on the s3rver fallback");
      await withTestServer("s3rver", async (env) =>
        tally(nodeTests(S3RVER_LANE, { ...env, S3KIT_SERVER: "s3rver", S3KIT_TEST_OBSERVATIONS: observations })),
      );
      step("the README's \"What runs where\" table");
      tally(checkWhatRunsWhere(observations));
    }
    rmSync(path.dirname(observations), { recursive: true, force: true });

    step("committed notebook outputs (what GitHub shows)");
    tally(checkCommittedNotebooks());

    step(`notebooks (nbclient + tslab, headless) on ${engine}`);
    const notebooks = await runNotebooks({ skipSetup: true, engine });
    if (notebooks.crashed) console.log(`s3kit: ${notebooks.crashed}`);
    tally(notebooks);
    if (engine !== "s3rver") {
      // The fallback stays honest: every notebook whose metadata s3kit.engines lists s3rver runs there too.
      step("notebooks on the s3rver fallback");
      const fallback = await runNotebooks({ skipSetup: true, engine: "s3rver" });
      if (fallback.crashed) console.log(`s3kit: ${fallback.crashed}`);
      tally(fallback);
    }

    step("browser (npm start driven in headless Chromium)");
    tally(nodeTests(testFiles(path.join("test", "e2e"))));
  }

  // A TODO test is a known gap, named in its output above: counted apart, never as passed.
  console.log(`\ns3kit: ${passed} passed, ${failed} failed${todo ? `, ${todo} todo` : ""}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`s3kit: ${error instanceof SetupError ? error.message : error?.stack ?? error}`);
    process.exit(1);
  },
);
