import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createClient, explain, ServiceResource, sideBySide, trace } from "s3kit";
import { capturingClient } from "./helpers/capture";
import { observe } from "./helpers/observed";
import { bucketWithKeys } from "./helpers/keys";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

let twentyFiveHundred: Promise<{ Bucket: string; keys: string[] }> | undefined;
/** One bucket of 2,500 keys shared by the tests that list it (filling it takes seconds). */
function bigBucket() {
  return (twentyFiveHundred ??= bucketWithKeys(server.client, 2500, { bucketPrefix: "trace" }));
}

describe("trace()", () => {
  test("records each request's operation, method, bucket, key, status and bytes, in order", async () => {
    const { client } = server;
    const Bucket = uniqueBucket("trace");
    const body = "twelve bytes";
    const traced = await trace(
      async () => {
        await client.send(new CreateBucketCommand({ Bucket }));
        await client.send(new PutObjectCommand({ Bucket, Key: "a.txt", Body: body }));
        const object = await client.send(new GetObjectCommand({ Bucket, Key: "a.txt" }));
        const text = await object.Body!.transformToString();
        await assert.rejects(client.send(new HeadObjectCommand({ Bucket, Key: "missing.txt" })));
        return text;
      },
      { client },
    );
    assert.equal(traced.result, body);
    const summary = traced.requests.map(({ operation, method, bucket, key, status }) => ({ operation, method, bucket, key, status }));
    assert.deepEqual(summary, [
      { operation: "CreateBucket", method: "PUT", bucket: Bucket, key: undefined, status: 200 },
      { operation: "PutObject", method: "PUT", bucket: Bucket, key: "a.txt", status: 200 },
      { operation: "GetObject", method: "GET", bucket: Bucket, key: "a.txt", status: 200 },
      { operation: "HeadObject", method: "HEAD", bucket: Bucket, key: "missing.txt", status: 404 },
    ]);
    assert.equal(traced.requests[1].bytesSent, Buffer.byteLength(body));
    assert.equal(traced.requests[2].bytesReceived, Buffer.byteLength(body));
    assert.ok(traced.requests.every((r) => r.durationMs > 0));
    assert.deepEqual(traced.counts, { CreateBucket: 1, PutObject: 1, GetObject: 1, HeadObject: 1 });
    assert.match(traced.text(), /HeadObject\s+HEAD\s+\S+\s+missing\.txt\s+404/);
  });

  test("a paginated listing of 2,500 keys shows exactly its three ListObjectsV2 requests", async () => {
    const { client } = server;
    const { Bucket, keys } = await bigBucket();
    const traced = await trace(
      async () => {
        const seen: string[] = [];
        for await (const page of paginateListObjectsV2({ client }, { Bucket })) seen.push(...(page.Contents ?? []).map((o) => o.Key!));
        return seen;
      },
      { client },
    );
    assert.deepEqual(traced.result, keys);
    assert.deepEqual(
      traced.requests.map((r) => [r.operation, r.method, r.bucket, r.status]),
      Array(3).fill(["ListObjectsV2", "GET", Bucket, 200]),
    );
    assert.match(traced.summary, /^3 requests \(ListObjectsV2 ×3\)/);
  });

  test("records only requests made inside the traced code, and nested traces see their own", async () => {
    const { client } = server;
    const outside = client.send(new ListBucketsCommand({})); // same client, same moment, not traced
    const outer = await trace(
      async () => {
        await client.send(new ListBucketsCommand({}));
        const inner = await trace(() => client.send(new ListBucketsCommand({})), { client });
        assert.equal(inner.requests.length, 1);
      },
      { client },
    );
    await outside;
    assert.equal(outer.requests.length, 2);
  });

  test("accepts anything with meta.client, the way boto3 resources carry their client", async () => {
    const { client } = server;
    const holder = { meta: { client } };
    const traced = await trace(() => client.send(new ListBucketsCommand({})), { client: holder });
    assert.deepEqual(traced.counts, { ListBuckets: 1 });
  });

  test("presigning a URL sends no request", async () => {
    const { client } = server;
    const traced = await trace(() => getSignedUrl(client, new GetObjectCommand({ Bucket: "any", Key: "thing" })), { client });
    assert.match(traced.result, /X-Amz-Signature=/);
    assert.deepEqual(traced.requests, []);
    assert.equal(traced.text(), "no requests");
  });

  test("no trace output or side-by-side display holds an Authorization header, a signature or a secret", async () => {
    // s3rver checks the access key but not the signature, so any secret works with it; Ceph needs the real one.
    const { accessKeyId } = server.server.credentials;
    const secretAccessKey = server.server.engine === "s3rver" ? "s3kit-test-secret-never-shown" : server.server.credentials.secretAccessKey;
    const signed = createClient({ kind: "endpoint", endpoint: server.endpoint, region: "us-east-1" }, { accessKeyId, secretAccessKey });
    const Bucket = uniqueBucket("secret");
    const presign = () => getSignedUrl(signed, new GetObjectCommand({ Bucket, Key: "a.txt" }), { expiresIn: 60 });
    const traced = await trace(
      async () => {
        await signed.send(new CreateBucketCommand({ Bucket }));
        await signed.send(new PutObjectCommand({ Bucket, Key: "a.txt", Body: "x" }));
        await signed.send(new GetObjectCommand({ Bucket, Key: "a.txt" })).then((o) => o.Body!.transformToString());
        await signed.send(new GetObjectCommand({ Bucket, Key: "nope" })).catch((e) => explain(e));
        return presign();
      },
      { client: signed },
    );
    assert.equal(traced.requests.length, 4);
    const comparison = await sideBySide({ "presigned URL": presign, "client call": () => signed.send(new ListBucketsCommand({})) }, { client: signed, runs: 1 });
    const outputs = [traced.text(), traced.html(), inspect(traced), JSON.stringify(traced.requests), comparison.text(), comparison.html()];
    for (const output of outputs) {
      assert.doesNotMatch(output, /authorization|x-amz-signature=[^…]|x-amz-credential=[^…]|AWS4-HMAC-SHA256 Credential/i);
      assert.ok(!output.includes(secretAccessKey), "the secret key is not shown");
      assert.ok(!output.includes(accessKeyId), "the access key is not shown");
    }
    // The presigned URL keeps its shape, so a learner still sees what one looks like.
    assert.match(comparison.text(), /X-Amz-Signature=…/);
    signed.destroy();
    if (server.server.engine === "s3rver") observe("signatures: a wrong secret key is refused (SignatureDoesNotMatch)", "✗ any secret passes");
  });
});

describe("trace() with resources", () => {
  test("bucket.objects.all() over 2,500 keys lists exactly the ListObjectsV2 requests it made", async () => {
    const { Bucket, keys } = await bigBucket();
    // A second, independent record of what was sent: the command names before serialization.
    const { client, sent } = capturingClient(server.endpoint);
    const resource = new ServiceResource(client);
    const bucket = resource.bucket(Bucket);

    const traced = await trace(() => bucket.objects.all().toArray(), { client: resource });
    assert.deepEqual(traced.result.map((o) => o.key), keys);
    assert.deepEqual(traced.requests.map((r) => r.operation), sent.map((r) => r.command));
    assert.deepEqual(
      traced.requests.map((r) => [r.operation, r.method, r.bucket, r.key, r.status]),
      Array(3).fill(["ListObjectsV2", "GET", Bucket, undefined, 200]),
    );

    const smallerPages = await trace(() => bucket.objects.pageSize(400).toArray(), { client: resource });
    assert.equal(smallerPages.requests.length, 7, "2,500 keys in pages of 400 is 7 requests");
    const limited = await trace(() => bucket.objects.limit(10).toArray(), { client: resource });
    assert.deepEqual(limited.counts, { ListObjectsV2: 1 });
    client.destroy();
  });

  test("loading an object's attributes is one HeadObject, and reading them afterwards sends nothing", async () => {
    const Bucket = uniqueBucket("attrs");
    const resource = new ServiceResource(server.client);
    const bucket = await resource.createBucket({ Bucket });
    await bucket.putObject({ Key: "data.csv", Body: "a,b\n1,2\n" });
    const object = resource.object(Bucket, "data.csv");

    const load = await trace(() => object.load(), { client: resource });
    assert.deepEqual(
      load.requests.map((r) => [r.operation, r.method, r.bucket, r.key, r.status]),
      [["HeadObject", "HEAD", Bucket, "data.csv", 200]],
    );
    const read = await trace(() => object.contentLength, { client: resource });
    assert.equal(read.result, 8);
    assert.deepEqual(read.requests, []);
  });

  test("side by side: the client's plain objects against the resource's Buckets, one ListBuckets each", async () => {
    const { client } = server;
    const resource = new ServiceResource(client);
    const Bucket = uniqueBucket("sbs");
    await resource.createBucket({ Bucket });
    const comparison = await sideBySide(
      {
        client: async () => (await client.send(new ListBucketsCommand({}))).Buckets!.filter((b) => b.Name === Bucket),
        resource: async () => (await resource.buckets.all().toArray()).filter((b) => b.name === Bucket),
      },
      { client, runs: 3 },
    );
    const text = comparison.text();
    assert.match(text, new RegExp(`Name: '${Bucket}'`), "the client's result is a plain object");
    assert.match(text, new RegExp(`Bucket \\{ name: '${Bucket}' \\}`), "the resource's result is a Bucket");
    assert.deepEqual(comparison.columns.map((c) => c.first.counts), [{ ListBuckets: 1 }, { ListBuckets: 1 }]);
  });

  test("side by side: a listing's ObjectSummaries show their size, and no line wraps inside a word", async () => {
    const { client } = server;
    const { Bucket } = await bucketWithKeys(client, 2);
    const comparison = await sideBySide(
      {
        client: async () => (await client.send(new ListObjectsV2Command({ Bucket }))).Contents!.map(({ Key, Size }) => ({ Key, Size })),
        resource: () => new ServiceResource(client).bucket(Bucket).objects.all().toArray(),
      },
      { client, runs: 1 },
    );
    const text = comparison.text();
    assert.match(text, /\{ Key: 'k\/00000', Size: 7 \}/);
    assert.match(text, new RegExp(`ObjectSummary \\{ bucketName: '${Bucket}', key: 'k/00000', size: 7 \\}`));
    const pres = comparison.html().match(/<pre[^>]*>/g)!;
    assert.equal(pres.length, 2);
    for (const pre of pres) assert.match(pre, /white-space:pre-wrap;word-break:normal;overflow-wrap:normal/);
  });
});

describe("sideBySide()", () => {
  test("runs each task, counts its requests and reports a median over the runs", async () => {
    const { client } = server;
    const { Bucket } = await bucketWithKeys(client, 3, { bucketPrefix: "trace" });
    const comparison = await sideBySide(
      {
        "three GETs": async () => {
          for (const Key of ["k/00000", "k/00001", "k/00002"]) await client.send(new GetObjectCommand({ Bucket, Key })).then((o) => o.Body!.transformToString());
          return "done";
        },
        "one listing": async () => (await client.send(new ListBucketsCommand({}))).Buckets!.length > 0,
      },
      { client, runs: 4 },
    );
    const [gets, listing] = comparison.columns;
    assert.deepEqual([gets.label, gets.first.requests.length, gets.first.result], ["three GETs", 3, "done"]);
    assert.deepEqual([listing.label, listing.first.requests.length, listing.first.result], ["one listing", 1, true]);
    for (const column of comparison.columns) {
      assert.equal(column.timesMs.length, 4);
      const sorted = [...column.timesMs].sort((a, b) => a - b);
      assert.equal(column.medianMs, (sorted[1] + sorted[2]) / 2);
    }
    const html = comparison.html();
    assert.match(html, /^<table class="s3kit-side-by-side">/);
    assert.match(html, /3 requests.*1 request</s);
    assert.match(comparison.text(), /three GETs\s+│\s+one listing/);
    assert.match(comparison.text(), /GetObject ×3\s+│\s+ListBuckets ×1/);
  });
});
