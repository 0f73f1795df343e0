import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { ENGINE_LABELS } from "s3kit";
import { uniqueBucket, useLocalServer } from "./helpers/server";
import { assertCleanOutput } from "./helpers/clean-output";

const server = useLocalServer();
const root = path.join(__dirname, "..");

/** `npm run repl` with its stdin and stdout in our hands: `send` types a line and waits for `expect` to appear. */
function startRepl(endpoint: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, S3KIT_TARGET: "local", S3KIT_ENDPOINT: endpoint, S3KIT_ENGINE: server.server.engine, NODE_OPTIONS: "" };
  delete env.AWS_ENDPOINT_URL_S3;
  delete env.AWS_ENDPOINT_URL;
  const child = spawn("npm", ["run", "--silent", "repl"], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
  // Both streams in the order they arrive (type errors go to stderr), and stderr on its own.
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  async function waitFor(expected: string | RegExp, from: number, timeoutMs = 30_000): Promise<string> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const seen = stdout.slice(from);
      if (typeof expected === "string" ? seen.includes(expected) : expected.test(seen)) return seen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the REPL did not print ${expected} within ${timeoutMs} ms; output:\n${stdout}`);
  }

  return {
    ready: () => waitFor("> ", 0, 60_000),
    async send(line: string, expected: string | RegExp): Promise<string> {
      const from = stdout.length;
      child.stdin.write(line + "\n");
      return waitFor(expected, from);
    },
    exit: async () => {
      child.stdin.write(".exit\n");
      return exited;
    },
    output: () => ({ stdout, stderr }),
    kill: () => child.kill(),
  };
}

describe("npm run repl", () => {
  test("connects to the local server, lists bucket names (client and resource), reads an object, and exits cleanly", { timeout: 120_000 }, async () => {
    const Bucket = uniqueBucket("repl");
    const text = `written by the REPL test ${Bucket}`;
    await server.client.send(new CreateBucketCommand({ Bucket }));
    await server.client.send(new PutObjectCommand({ Bucket, Key: "note.txt", Body: text }));

    const repl = startRepl(server.endpoint);
    try {
      const banner = await repl.ready();
      assert.match(banner, new RegExp(`s3kit → the kit's local S3 server \\(${ENGINE_LABELS[server.server.engine]}\\) at ${server.endpoint.replace(/\./g, "\\.")}`));
      assert.match(banner, /ListBucketsCommand/, "the banner shows examples to try");

      const names = await repl.send(`(await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)`, /\]\n/);
      assert.ok(names.includes(`'${Bucket}'`), `bucket names listed: ${names}`);

      const viaResource = await repl.send(`(await resource.buckets.all().toArray()).map((b) => b.name)`, /\]\n/);
      assert.ok(viaResource.includes(`'${Bucket}'`), `bucket names listed through the resource: ${viaResource}`);

      const body = await repl.send(
        `await (await client.send(new GetObjectCommand({ Bucket: "${Bucket}", Key: "note.txt" }))).Body?.transformToString()`,
        `'${text}'`,
      );
      assert.ok(body.includes(text));

      // An S3 error shows as the kit's short block, as in a notebook; lastError() has the rest.
      const from = repl.output().stdout.length;
      await repl.send(`await client.send(new HeadObjectCommand({ Bucket: "${Bucket}", Key: "nope.txt" }))`, /lastError\(\)/);
      await repl.send(`1 + 1`, /^2$/m);
      const shortError = repl.output().stdout.slice(from).replace(/\n2\n[\s\S]*$/, "");
      assert.match(shortError, new RegExp(`NotFound · HTTP 404 · HeadObject · s3://${Bucket}/nope\\.txt\\n`));
      assert.match(shortError, new RegExp(`s3://${Bucket}/nope\\.txt does not exist \\(or its bucket does not\\): check the bucket and key`));
      assertCleanOutput(shortError, "the REPL's short error");
      assert.ok(shortError.trim().split("\n").length <= 8, `at most 8 lines:\n${shortError}`);
      await repl.send(`lastError()`, /node_modules/);

      // Inputs are type-checked, as in a notebook cell.
      const typeError = await repl.send(`const n: number = "not a number"`, /error TS2322/);
      assert.match(typeError, /Type 'string' is not assignable to type 'number'/);

      assert.equal(await repl.exit(), 0);
      assert.doesNotMatch(repl.output().stderr.replace(/.*error TS2322.*\n?/, ""), /\S/, "nothing else on stderr");
    } finally {
      repl.kill();
    }
  });
});
