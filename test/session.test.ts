// What the kit adds to an interactive session (notebook kernel, REPL): short S3 errors naming what
// they concern, for a learner's own S3Client too; SDK bodies shown as what they are and refusing a
// second read with a reason; DataFrames as tables. Against a real embedded S3 server.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, test } from "node:test";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as dfd from "danfojs-node";
import { annotateS3Clients, dataFrameTables, errorReport, FULL_ERROR_HINT, installKernelHooks, lastError, LOCAL_CREDENTIALS, withKernelDisplays, type TslabHooks } from "s3kit";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

/** A client as a learner writes it: no s3kit middleware, only what the SDK itself offers. */
function learnersClient(): S3Client {
  annotateS3Clients();
  return new S3Client({ endpoint: server.endpoint, region: "us-east-1", forcePathStyle: true, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

async function failure(request: Promise<unknown>): Promise<unknown> {
  return request.then(
    () => assert.fail("the request was expected to fail"),
    (error: unknown) => error,
  );
}

describe("errors of a learner's own S3Client", () => {
  test("a missing key: code, HTTP status, operation, s3:// location and what to do, in 3 lines", async () => {
    const Bucket = uniqueBucket("session");
    await server.client.send(new CreateBucketCommand({ Bucket }));
    const error = await failure(learnersClient().send(new HeadObjectCommand({ Bucket, Key: "nope.txt" })));
    assert.deepEqual(errorReport(error).lines, [
      `NotFound · HTTP 404 · HeadObject · s3://${Bucket}/nope.txt`,
      `s3://${Bucket}/nope.txt does not exist (or its bucket does not): check the bucket and key, or list the bucket to see what is there.`,
      FULL_ERROR_HINT,
    ]);
  });

  test("a missing bucket names the bucket", async () => {
    const error = await failure(learnersClient().send(new ListObjectsV2Command({ Bucket: "no-such-bucket-here" })));
    const { ename, lines } = errorReport(error);
    assert.equal(ename, "NoSuchBucket");
    assert.equal(lines[0], "NoSuchBucket · HTTP 404 · ListObjectsV2 · s3://no-such-bucket-here");
    assert.match(lines[1], /^The bucket s3:\/\/no-such-bucket-here does not exist/);
  });

  test("an error that did not come from S3 shows its name and message", () => {
    assert.deepEqual(errorReport(new TypeError("x is not a function")).lines, ["TypeError: x is not a function", FULL_ERROR_HINT]);
  });
});

describe("a learner's own S3Client with no endpoint", () => {
  /** A client whose network layer records what it was asked to send, and fails it. */
  function recordingClient(sent: string[]): S3Client {
    annotateS3Clients();
    const handle = async (request: { hostname: string }) => {
      sent.push(request.hostname);
      throw new Error("the recording handler sends nothing");
    };
    return new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1, requestHandler: { handle } });
  }

  async function withEnv<T>(changes: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
    const saved = { ...process.env };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    try {
      return await run();
    } finally {
      process.env = saved;
    }
  }

  const noEndpoint = { AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL: undefined };

  test("is stopped before it sends anything when AWS was not asked for, in one sentence", async () => {
    const sent: string[] = [];
    const error = await withEnv({ ...noEndpoint, S3KIT_TARGET: undefined }, () => failure(recordingClient(sent).send(new ListObjectsV2Command({ Bucket: "my-bucket" }))));
    assert.deepEqual(sent, []);
    assert.ok(error instanceof Error);
    assert.equal(
      error.message,
      'This S3Client has no endpoint, so its ListObjectsV2 would go to real AWS, which this session was not asked to use: build it with { endpoint: process.env.S3KIT_ENDPOINT } or use connect(); for AWS, set S3KIT_TARGET=aws or call connect({ target: "aws" }).',
    );
  });

  test("goes to AWS when S3KIT_TARGET=aws asks for it", async () => {
    const sent: string[] = [];
    const error = await withEnv({ ...noEndpoint, S3KIT_TARGET: "aws" }, () => failure(recordingClient(sent).send(new ListObjectsV2Command({ Bucket: "my-bucket" }))));
    assert.deepEqual(sent, ["my-bucket.s3.eu-west-1.amazonaws.com"]);
    assert.match(String((error as Error).message), /the recording handler sends nothing/);
  });
});

describe("GetObject bodies", () => {
  test("print as what they hold, not as a socket, and refuse a second read saying why", async () => {
    const Bucket = uniqueBucket("session");
    await server.client.send(new CreateBucketCommand({ Bucket }));
    await server.client.send(new PutObjectCommand({ Bucket, Key: "note.txt", Body: "hello", ContentType: "text/plain" }));
    const output = await learnersClient().send(new GetObjectCommand({ Bucket, Key: "note.txt" }));
    const printed = inspect(output);
    assert.match(printed, new RegExp(`Body: \\[body of s3://${Bucket}/note\\.txt: 5 B, text/plain; read it once`));
    assert.doesNotMatch(printed, /Socket|IncomingMessage/);
    assert.equal(await output.Body!.transformToString(), "hello");
    assert.match(inspect(output), /already read\]/);
    await assert.rejects(async () => output.Body!.transformToString(), {
      name: "S3KitError",
      message: `The body of s3://${Bucket}/note.txt was already read: a response body is a stream and can be read once. Keep what the first read returned (const text = await Body.transformToString()), or send GetObject again.`,
    });
  });
});

describe("the kernel hooks", () => {
  function hooks() {
    const installed: { display?: (value: unknown) => boolean; format?: Parameters<TslabHooks["setErrorFormatter"]>[0] } = {};
    installKernelHooks({ addDisplayHook: (hook) => (installed.display = hook), setErrorFormatter: (format) => (installed.format = format) });
    return installed as Required<typeof installed>;
  }

  test("an error becomes a short traceback with a red headline; lastError() keeps it; S3KIT_FULL_ERRORS=1 keeps tslab's", async () => {
    const { format } = hooks();
    const error = await failure(learnersClient().send(new HeadObjectCommand({ Bucket: "no-such-bucket-here", Key: "a.txt" })));
    const shown = format(error)!;
    assert.equal(shown.traceback.length, 3);
    assert.equal(shown.traceback[0], "\x1b[1;31mNotFound · HTTP 404 · HeadObject · s3://no-such-bucket-here/a.txt\x1b[0m");
    assert.equal(lastError(), error);
    process.env.S3KIT_FULL_ERRORS = "1";
    try {
      assert.equal(format(error), undefined);
    } finally {
      delete process.env.S3KIT_FULL_ERRORS;
    }
  });

  test("a DataFrame or Series is shown by the hook (as a table), anything else is left to tslab", (t) => {
    const { display } = hooks();
    const df = new dfd.DataFrame({ city: ["Oslo", "Lima", "Pune"], temp: [4.5, 19.1, 27.3] });
    const log = t.mock.method(console, "log", () => {});
    assert.equal(display(df), true);
    assert.equal(display({ city: "Oslo" }), false);
    assert.match(String(log.mock.calls[0].arguments[0]), /3 rows × 2 columns/);
    assert.equal(dataFrameTables(df["temp"] as dfd.Series).text.split("\n").at(-1), "Series: 3 rows × 1 columns");
  });
});

describe("the REPL's displays", () => {
  test("a thrown S3 error is written short, the same error returned later in full; a DataFrame as a table", async () => {
    const error = await failure(learnersClient().send(new HeadObjectCommand({ Bucket: "no-such-bucket-here", Key: "a.txt" })));
    const options = withKernelDisplays({ eval: (_code, _context, _file, callback) => callback(error as Error), writer: (value) => inspect(value) });
    options.eval!("x", {}, "repl", () => {});
    const thrown = options.writer!(error);
    assert.equal(thrown.split("\n").length, 3);
    assert.match(thrown, /HeadObject · s3:\/\/no-such-bucket-here\/a\.txt/);
    assert.match(options.writer!(error), /at .*node_modules/, "lastError() and other returned errors show in full");
    assert.match(options.writer!(new dfd.DataFrame({ a: [1, 2] })), /2 rows × 1 columns/);
  });
});
