// `npm test`: everything, from a fresh clone. Type-check, the lib's tests against a real embedded
// S3 server, every notebook executed headless with the tslab kernel, then one summary line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runNotebooks } from "./notebook-runner.mjs";
import { ensureDebianPackages, root, setup, SetupError } from "./setup.mjs";

function step(title) {
  console.log(`\n== ${title}`);
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

  step("type-check");
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) throw new SetupError("The type-check failed (see above).");

  step("lib tests (node:test against the embedded S3 server)");
  const only = process.argv.slice(2);
  const files = only.length ? only : readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts")).sort().map((f) => path.join("test", f));
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-report-"));
  const tap = path.join(reportDir, "report.tap");
  const unit = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files],
    { cwd: root, stdio: "inherit", env: { ...process.env, S3KIT_TARGET: "local" } },
  );
  const report = readFileSync(tap, "utf8");
  rmSync(reportDir, { recursive: true, force: true });
  const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? 0);
  let passed = count("pass");
  let failed = count("fail") + count("cancelled") + (unit.status !== 0 && count("fail") === 0 ? 1 : 0);

  if (!only.length) {
    step("notebooks (nbclient + tslab, headless)");
    const notebooks = await runNotebooks({ skipSetup: true });
    if (notebooks.crashed) console.log(`s3kit: ${notebooks.crashed}`);
    passed += notebooks.passed;
    failed += notebooks.failed;
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
