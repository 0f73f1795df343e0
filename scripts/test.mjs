// `npm test`: everything, from a fresh clone. Type-check, the lib's tests against a real embedded
// S3 server, every notebook executed headless with the tslab kernel, `npm start` driven in headless
// Chromium, then one summary line. With test files as arguments: setup, type-check and those only.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkCommittedNotebooks, runNotebooks } from "./notebook-runner.mjs";
import { ensureChromium, ensureDebianPackages, root, setup, SetupError } from "./setup.mjs";

function step(title) {
  console.log(`\n== ${title}`);
}

/** The *.test.ts files directly in `folder` (relative to the root), in name order. */
function testFiles(folder) {
  return readdirSync(path.join(root, folder)).filter((f) => f.endsWith(".test.ts")).sort().map((f) => path.join(folder, f));
}

/** Runs test files with node:test (spec output on the console); their pass/fail counts from TAP. */
function nodeTests(files) {
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-report-"));
  const tap = path.join(reportDir, "report.tap");
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files],
    { cwd: root, stdio: "inherit", env: { ...process.env, S3KIT_TARGET: "local" } },
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
    failed: count("fail") + count("cancelled") + (run.status !== 0 && count("fail") === 0 ? 1 : 0),
  };
}

async function main() {
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
  const tally = (counts) => {
    passed += counts.passed;
    failed += counts.failed;
  };
  if (only.length) {
    step(`tests: ${only.join(" ")}`);
    tally(nodeTests(only));
  } else {
    step("lib tests (node:test against the embedded S3 server)");
    tally(nodeTests(testFiles("test")));

    step("committed notebook outputs (what GitHub shows)");
    tally(checkCommittedNotebooks());

    step("notebooks (nbclient + tslab, headless)");
    const notebooks = await runNotebooks({ skipSetup: true });
    if (notebooks.crashed) console.log(`s3kit: ${notebooks.crashed}`);
    tally(notebooks);

    step("browser (npm start driven in headless Chromium)");
    tally(nodeTests(testFiles(path.join("test", "e2e"))));
  }

  console.log(`\ns3kit: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`s3kit: ${error instanceof SetupError ? error.message : error?.stack ?? error}`);
    process.exit(1);
  },
);
