// Runs notebooks headless (scripts/run_notebooks.py, Jupyter's nbclient + tslab) against a fresh
// local S3 server on the kit's engine in a temporary folder, seeded like `npm start` seeds the kit's own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { installKernel, KERNEL_ENV, localTargetEnv, python, root, setup } from "./setup.mjs";

/**
 * Resolves to { passed, failed, skipped } counts of notebooks; `engine` (default: the kit's choice)
 * runs them on that engine, skipping those whose metadata s3kit.engines lacks it.
 */
export async function runNotebooks({ write = false, notebooks = [], skipSetup = false, engine: asked } = {}) {
  const jupyterEnv = skipSetup ? { ...installKernel(), ...KERNEL_ENV } : setup();
  const s3kit = createRequire(import.meta.url)(path.join(root, "lib"));
  const engine = asked ?? s3kit.chooseEngine().engine;
  const home = mkdtempSync(path.join(os.tmpdir(), "s3kit-notebooks-"));
  // Committed outputs show the endpoint, so writing them needs the default port to keep them stable.
  const server = await s3kit.startLocalServer({ engine, dataDir: path.join(home, engine), port: s3kit.DEFAULT_PORT, strictPort: write });
  console.log(`s3kit: notebooks run on ${s3kit.ENGINE_LABELS[engine]} at ${server.endpoint}`);
  try {
    const client = s3kit.createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
    await s3kit.seedKitData(client);
    client.destroy();
    return runPython([...(write ? ["--write"] : []), "--engine", engine, ...notebooks], home, { ...jupyterEnv, ...localTargetEnv(server) });
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Checks the outputs saved in the notebook files, running nothing: what a learner reads on GitHub. */
export function checkCommittedNotebooks() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-notebooks-"));
  try {
    return runPython(["--committed"], workDir, {});
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs scripts/run_notebooks.py and resolves to its { passed, failed } summary. */
function runPython(args, workDir, env) {
  const summary = path.join(workDir, "summary.json");
  const result = spawnSync(python, [path.join(root, "scripts", "run_notebooks.py"), "--summary", summary, ...args], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  try {
    return JSON.parse(readFileSync(summary, "utf8"));
  } catch {
    return { passed: 0, failed: 1, crashed: `the notebook runner exited with ${result.status ?? result.signal}` };
  }
}
