// What the display helpers send through the real kernel (tslab's display and newDisplay, the
// paths a notebook takes): HTML with a presigned URL and an Authorization value arrives redacted,
// updates and all, and holds nothing the shared output filter forbids.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import * as kernelspec from "../scripts/kernelspec.mjs";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { python } from "../scripts/setup.mjs";
import { forbiddenIn } from "./helpers/clean-output";
import { tempDir } from "./helpers/server";

const SIGNED = "http://127.0.0.1:4568/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20260101%2Fus-east-1&X-Amz-Signature=0123abcd9876";
const AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=S3RVER/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0123abcd9876";

test("show() and liveOutput() redact signatures and credentials in the HTML a notebook receives", { timeout: 120_000 }, () => {
  const dataDir = tempDir("s3kit-jupyter-");
  kernelspec.installUserKernel(kernelspec.userKernelsDir({ JUPYTER_DATA_DIR: dataDir }));
  const folder = tempDir("s3kit-display-");
  const cell = (source: string, index: number) => ({ id: `cell-${index}`, cell_type: "code", metadata: {}, outputs: [], execution_count: null, source });
  const notebook = {
    cells: [
      `import { show, liveOutput } from "s3kit";\nshow({ html: \`<a href="${SIGNED}">k.csv</a><pre>Authorization: ${AUTHORIZATION}</pre>\` }, "plain");`,
      // In a block: tslab cannot name the type of a top-level const declared outside notebooks/.
      `{\n  const live = liveOutput();\n  for (const step of [1, 2]) live.update(\`<a href="${SIGNED}&step=\${step}">\${step}</a>\`, "");\n  live.done(\`<a href="${SIGNED}&step=done">done</a>\`, "");\n}`,
    ].map(cell),
    metadata: { kernelspec: { name: "s3kit", display_name: "TypeScript (s3kit)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(path.join(folder, "display.ipynb"), JSON.stringify(notebook));
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_DATA_DIR: dataDir };
  delete env.JUPYTER_PATH;
  const run = spawnSync(python, ["-m", "nbconvert", "--to", "notebook", "--execute", "--output", "ran.ipynb", "display.ipynb"], { cwd: folder, env, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const ran = JSON.parse(readFileSync(path.join(folder, "ran.ipynb"), "utf8")) as { cells: { outputs: { data?: Record<string, string | string[]> }[] }[] };
  const html = ran.cells.map((c) => c.outputs.map((o) => [o.data?.["text/html"] ?? ""].flat().join("")));
  const redactedUrl = "http://127.0.0.1:4568/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…";
  assert.deepEqual(html[0], [`<a href="${redactedUrl}">k.csv</a><pre>Authorization: …</pre>`]);
  // The live output is one output, updated in place: what stays is its final state.
  assert.deepEqual(html[1], [`<a href="${redactedUrl}&step=done">done</a>`]);
  for (const shown of html.flat()) assert.deepEqual(forbiddenIn(shown), [], shown);
});
