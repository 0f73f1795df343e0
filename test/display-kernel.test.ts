// What the display helpers send through the real kernel (tslab's display and newDisplay, the
// paths a notebook takes): HTML with a presigned URL and an Authorization value arrives redacted,
// updates and all, and holds nothing the shared output filter forbids.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forbiddenIn } from "./helpers/clean-output";
import { runInUserKernel } from "./helpers/user-kernel";

const SIGNED = "http://127.0.0.1:4568/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20260101%2Fus-east-1&X-Amz-Signature=0123abcd9876";
const AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=S3RVER/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0123abcd9876";

test("show() and liveOutput() redact signatures and credentials in the HTML a notebook receives", { timeout: 120_000 }, () => {
  const ran = runInUserKernel([
    `import { show, liveOutput } from "s3kit";\nshow({ html: \`<a href="${SIGNED}">k.csv</a><pre>Authorization: ${AUTHORIZATION}</pre>\` }, "plain");`,
    // In a block: tslab cannot name the type of a top-level const declared outside notebooks/.
    `{\n  const live = liveOutput();\n  for (const step of [1, 2]) live.update(\`<a href="${SIGNED}&step=\${step}">\${step}</a>\`, "");\n  live.done(\`<a href="${SIGNED}&step=done">done</a>\`, "");\n}`,
  ]);
  const html = ran.map((c) => c.outputs.map((o) => [o.data?.["text/html"] ?? ""].flat().join("")));
  const redactedUrl = "http://127.0.0.1:4568/b/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…";
  assert.deepEqual(html[0], [`<a href="${redactedUrl}">k.csv</a><pre>Authorization: …</pre>`]);
  // The live output is one output, updated in place: what stays is its final state.
  assert.deepEqual(html[1], [`<a href="${redactedUrl}&step=done">done</a>`]);
  for (const shown of html.flat()) assert.deepEqual(forbiddenIn(shown), [], shown);
});
