import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { deleteInBatches, paginateListObjects, S3KitError, ServiceResource } from "s3kit";
import { capturingClient } from "./helpers/capture";
import { observe } from "./helpers/observed";
import { bucketWithKeys, putKeys } from "./helpers/keys";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

describe("bucket.objects over 2,500 keys", () => {
  let bucket = "";
  let keys: string[] = [];
  before(async () => {
    ({ Bucket: bucket, keys } = await bucketWithKeys(server.client, 2500, { bucketPrefix: "coll" }));
  });

  test("all() yields every key once, in the same requests the SDK paginator makes", async () => {
    const viaResource = capturingClient(server.endpoint);
    const seen: string[] = [];
    for await (const summary of new ServiceResource(viaResource.client).bucket(bucket).objects.all()) seen.push(summary.key);
    assert.deepEqual(seen, keys);

    const viaPaginator = capturingClient(server.endpoint);
    // FetchOwner: boto3's listing (ListObjects v1) always carries the owner; ListObjectsV2 only when asked.
    for await (const page of paginateListObjectsV2({ client: viaPaginator.client }, { Bucket: bucket, FetchOwner: true })) void page;
    // Continuation tokens are encrypted with a fresh IV each time, so compare where they appear, not their text.
    const shape = (sent: typeof viaResource.sent) =>
      sent.map(({ command, input }) => ({ command, input: { ...input, ContinuationToken: input.ContinuationToken ? "(token)" : undefined } }));
    assert.equal(viaResource.sent.length, 3);
    assert.deepEqual(shape(viaResource.sent), shape(viaPaginator.sent));
  });

  test("summaries carry the listing's attributes without further requests", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const [first] = await new ServiceResource(client).bucket(bucket).objects.limit(1).toArray();
    assert.equal(first.key, "k/00000");
    assert.equal(first.size, "k/00000".length);
    assert.equal(first.storageClass, "STANDARD");
    assert.ok(first.lastModified instanceof Date);
    assert.match(first.eTag ?? "", /^"[0-9a-f]{32}"$/);
    assert.ok(first.owner?.ID, "the listing asks for the owner");
    assert.deepEqual(sent.map((r) => r.command), ["ListObjectsV2"]);
  });

  test("limit(10) stops after the first page", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const first = await new ServiceResource(client).bucket(bucket).objects.limit(10).toArray();
    assert.deepEqual(first.map((s) => s.key), keys.slice(0, 10));
    assert.equal(sent.length, 1);
    assert.equal(sent[0].input.MaxKeys, undefined, "limit does not change the page size, as in boto3");
  });

  test("limit(1500) takes two pages and stops", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const items = await new ServiceResource(client).bucket(bucket).objects.limit(1500).toArray();
    assert.deepEqual(items.map((s) => s.key), keys.slice(0, 1500));
    assert.equal(sent.length, 2);
  });

  test("pageSize(400) sends MaxKeys 400 and pages() yields one array per request", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const sizes: number[] = [];
    for await (const page of new ServiceResource(client).bucket(bucket).objects.pageSize(400).pages()) sizes.push(page.length);
    assert.deepEqual(sizes, [400, 400, 400, 400, 400, 400, 100]);
    assert.equal(sent.length, 7);
    assert.ok(sent.every((r) => r.input.MaxKeys === 400));
  });

  test("filter({ Prefix }) sends the prefix and chaining leaves the original collection unchanged", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const objects = new ServiceResource(client).bucket(bucket).objects;
    const filtered = objects.filter({ Prefix: "k/024" });
    assert.deepEqual((await filtered.toArray()).map((s) => s.key), keys.filter((k) => k.startsWith("k/024")));
    assert.equal(sent[0].input.Prefix, "k/024");
    assert.equal((await objects.limit(3).toArray()).length, 3);
    assert.equal(sent[1].input.Prefix, undefined);
    const twice = filtered.filter({ StartAfter: "k/02450" });
    assert.deepEqual((await twice.toArray()).map((s) => s.key), keys.filter((k) => k > "k/02450" && k.startsWith("k/024")));
  });

  test("a collection sends nothing until it is iterated", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const lazy = new ServiceResource(client).bucket(bucket).objects.all().filter({ Prefix: "k/" }).limit(5).pageSize(5);
    assert.equal(sent.length, 0);
    assert.equal((await lazy.toArray()).length, 5);
    assert.equal(sent.length, 1);
  });

  test("the v1 ListObjects paginator pages by marker and sees every key once", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const seen: string[] = [];
    for await (const page of paginateListObjects({ client, pageSize: 1000 }, { Bucket: bucket })) {
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    assert.deepEqual(seen, keys);
    assert.deepEqual(sent.map((r) => r.input.Marker), [undefined, "k/00999", "k/01999"]);
  });
});

describe("batch delete", () => {
  test("filter({ Prefix }).delete() deletes only that prefix, a page (≤ 1,000 keys) per DeleteObjects", async () => {
    const { Bucket: name } = await bucketWithKeys(server.client, 1050, { prefix: "old", bucketPrefix: "coll" });
    await putKeys(server.client, name, ["keep/1", "keep/2"]);
    const { client, sent } = capturingClient(server.endpoint);
    const result = await new ServiceResource(client).bucket(name).objects.filter({ Prefix: "old/" }).delete();
    assert.equal(result.deleted.length, 1050);
    assert.deepEqual(result.errors, []);
    const deletes = sent.filter((r) => r.command === "DeleteObjects");
    assert.deepEqual(deletes.map((r) => (r.input.Delete as { Objects: unknown[] }).Objects.length), [1000, 50]);
    // One answer per request, as boto3's list of responses.
    assert.deepEqual(result.responses.map((answer) => answer.Deleted?.length), [1000, 50]);
    const left = await new ServiceResource(client).bucket(name).objects.all().toArray();
    assert.deepEqual(left.map((s) => s.key), ["keep/1", "keep/2"]);
  });

  test("limit(5).delete() deletes five objects", async () => {
    const { Bucket: name, keys } = await bucketWithKeys(server.client, 12, { bucketPrefix: "coll" });
    const result = await new ServiceResource(server.client).bucket(name).objects.limit(5).delete();
    assert.deepEqual(result.deleted.map((d) => d.Key).sort(), keys.slice(0, 5));
    assert.equal((await new ServiceResource(server.client).bucket(name).objects.all().toArray()).length, 7);
  });

  test("delete({ Quiet, ... }) passes DeleteObjects' parameters with every request", async () => {
    const { Bucket: name } = await bucketWithKeys(server.client, 3, { bucketPrefix: "coll" });
    const { client, sent } = capturingClient(server.endpoint);
    const result = await new ServiceResource(client).bucket(name).objects.all().delete({ Quiet: true });
    const [request] = sent.filter((r) => r.command === "DeleteObjects");
    assert.equal((request.input.Delete as { Quiet?: boolean }).Quiet, true);
    assert.equal(result.responses.length, 1);
    assert.deepEqual(result.errors, []);
    assert.equal((await new ServiceResource(client).bucket(name).objects.all().toArray()).length, 0);
  });

  test("deleteInBatches splits 1,005 keys into requests of at most 1,000", async () => {
    const { Bucket: name, keys } = await bucketWithKeys(server.client, 1005, { bucketPrefix: "coll" });
    const { client, sent } = capturingClient(server.endpoint);
    const result = await deleteInBatches(client, name, keys.map((Key) => ({ Key })));
    assert.equal(result.deleted.length, 1005);
    assert.deepEqual(sent.map((r) => (r.input.Delete as { Objects: unknown[] }).Objects.length), [1000, 5]);
  });
});

describe("listings s3rver lacks", () => {
  test("objectVersions sends ListObjectVersions with the filter, and fails with one sentence here", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const error = await new ServiceResource(client).bucket("some-bucket").objectVersions.filter({ Prefix: "a/" }).pageSize(50).toArray().catch((e: unknown) => e);
    assert.deepEqual(sent, [{ command: "ListObjectVersions", input: { Prefix: "a/", MaxKeys: 50, Bucket: "some-bucket" } }]);
    assert.ok(error instanceof S3KitError);
  });

  test("multipartUploads lists the uploads in progress with ListMultipartUploads", async () => {
    // s3rver lacks ListMultipartUploads; the kit's server process answers it (lib/src/server/multipart-extras.ts).
    const name = uniqueBucket("mpu");
    const { client, sent } = capturingClient(server.endpoint);
    const s3 = new ServiceResource(client);
    await s3.createBucket({ Bucket: name });
    const upload = await s3.bucket(name).object("big.bin").initiateMultipartUpload();
    sent.length = 0;
    const listed = await s3.bucket(name).multipartUploads.pageSize(10).toArray();
    assert.deepEqual(sent, [{ command: "ListMultipartUploads", input: { MaxUploads: 10, Bucket: name } }]);
    assert.deepEqual(
      listed.map((u) => [u.objectKey, u.id]),
      [["big.bin", upload.id]],
    );
    observe("multipart: ListMultipartUploads (`bucket.multipartUploads`)");
  });
});

describe("the buckets collection", () => {
  test("lists Bucket resources with their creation date already loaded", async () => {
    const names = [uniqueBucket("lb"), uniqueBucket("lb")];
    const s3 = new ServiceResource(server.client);
    for (const Bucket of names) await s3.createBucket({ Bucket });
    const buckets = await s3.buckets.all().toArray();
    const mine = buckets.filter((b) => names.includes(b.name));
    assert.deepEqual(mine.map((b) => b.name).sort(), [...names].sort());
    assert.ok(mine.every((b) => b.creationDate instanceof Date));
  });
});
