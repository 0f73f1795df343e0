// Issue 13's learner moves (test/notebooks/learner-moves.ipynb), executed headless on the kit's
// kernel by the notebook runner, errors allowed where tagged: expected outputs, errors of at most
// 8 lines naming the object or bucket, nothing else failing.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { runNotebooks } from "../scripts/notebook-runner.mjs";

test("every learner move of the issue works as a learner expects on the kit's kernel", { timeout: 300_000 }, async () => {
  const notebook = path.join(__dirname, "notebooks", "learner-moves.ipynb");
  const summary = (await runNotebooks({ skipSetup: true, notebooks: [notebook] })) as { passed: number; failed: number; crashed?: string };
  assert.deepEqual(summary, { passed: 1, failed: 0, skipped: 0 }, "see the runner's report above");
});
