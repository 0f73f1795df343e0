// What s3rver lacks or only imitates, run for real on the Ceph engine (on the s3rver lane each test
// is skipped with "needs the ceph engine"; resources.test.ts keeps checking the exact commands there).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { createClient, explain, presignedPost, S3KitError, ServiceResource } from "s3kit";
import { observe } from "./helpers/observed";
import { sha256 } from "./helpers/hash";
import { needsCeph, otherUser, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();
const MiB = 1024 * 1024;

async function newBucket(prefix: string) {
  const bucket = new ServiceResource(server.client).bucket(uniqueBucket(prefix));
  await bucket.create();
  return bucket;
}

async function failure(promise: Promise<unknown>): Promise<S3KitError> {
  const error = await promise.then(() => assert.fail("expected the call to fail"), (e: unknown) => explain(e));
  assert.ok(error instanceof S3KitError);
  return error;
}

/** The SDK's own error of a call expected to fail (its name and HTTP status, before the kit explains it). */
async function rawFailure(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  const error = (await promise.then(() => assert.fail("expected the call to fail"), (e: unknown) => e)) as {
    name: string;
    $metadata?: { httpStatusCode?: number };
  };
  return { name: error.name, status: error.$metadata?.httpStatusCode };
}

function clientAs(credentials: { accessKeyId: string; secretAccessKey: string }): S3Client {
  return createClient({ kind: "endpoint", endpoint: server.endpoint, region: "us-east-1" }, credentials);
}

describe("versioning on Ceph", () => {
  test("versions, ListObjectVersions, a delete marker, restoring a version by deleting the marker, suspend", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await newBucket("versions");
    await bucket.versioning().enable();
    const versioning = bucket.versioning();
    await versioning.load();
    assert.equal(versioning.status, "Enabled");

    const report = bucket.object("report.txt");
    await report.put({ Body: "first draft" });
    await report.put({ Body: "second draft" });
    await report.delete();
    await failure(report.get()).then((error) => assert.equal(error.code, "NoSuchKey"));

    const versions = await bucket.objectVersions.all().toArray();
    assert.equal(versions.length, 3, "two versions and one delete marker");
    const marker = versions.find((v) => v.isDeleteMarker)!;
    assert.ok(marker.isLatest, "the delete marker is the latest");
    const [second, first] = versions.filter((v) => !v.isDeleteMarker);
    assert.equal(await (await first!.get()).text(), "first draft", "an old version stays readable by its id");
    assert.equal(second!.size, "second draft".length);

    await marker.delete(); // removing the marker restores the latest version
    assert.equal(await (await report.get()).text(), "second draft");
    await first!.delete(); // deleting a version by id removes it for good
    assert.deepEqual((await bucket.objectVersions.all().toArray()).map((v) => v.id), [second!.id]);

    await versioning.suspend();
    await versioning.load();
    assert.equal(versioning.status, "Suspended");
    observe("versioning: enable/suspend, `bucket.objectVersions`, delete markers, restoring a version");
  });
});

describe("bucket tagging on Ceph", () => {
  test("put, load, delete; a bucket without tags says it has none", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await newBucket("tags");
    const tagging = bucket.tagging();
    await tagging.put({ Tagging: { TagSet: [{ Key: "team", Value: "data" }, { Key: "env", Value: "dev" }] } });
    await tagging.load();
    assert.deepEqual(
      tagging.tagSet!.map(({ Key, Value }) => [Key, Value]).sort(),
      [["env", "dev"], ["team", "data"]],
    );
    await tagging.delete();
    const missing = await failure(bucket.tagging().load());
    assert.equal(missing.code, "NoSuchTagSet");
    assert.equal(missing.message, `The bucket s3://${bucket.name} has no tags: put one first, or treat this as "none".`);
    observe("bucket tagging");
  });
});

describe("multipart on Ceph", () => {
  test("UploadPartCopy copies a byte range into a part, ListParts lists the parts, and the object is the bytes", async (t) => {
    if (needsCeph(t)) return;
    const s3 = new ServiceResource(server.client);
    const bucket = await newBucket("partcopy");
    const source = randomBytes(6 * MiB);
    await bucket.putObject({ Key: "source file.bin", Body: source });
    const { UploadId } = await server.client.send(new CreateMultipartUploadCommand({ Bucket: bucket.name, Key: "target.bin" }));
    const upload = s3.multipartUpload(bucket.name, "target.bin", UploadId!);

    const copied = await upload.part(1).copyFrom({ CopySource: { Bucket: bucket.name, Key: "source file.bin" }, CopySourceRange: `bytes=0-${5 * MiB - 1}` });
    assert.ok(copied.CopyPartResult?.ETag);
    const uploaded = await upload.part(2).upload({ Body: source.subarray(5 * MiB) });

    const parts = await upload.parts.toArray();
    assert.deepEqual(parts.map((p) => [p.partNumber, p.size]), [[1, 5 * MiB], [2, MiB]]);
    await upload.complete({
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: copied.CopyPartResult!.ETag }, { PartNumber: 2, ETag: uploaded.ETag }] },
    });
    const { Body } = await server.client.send(new GetObjectCommand({ Bucket: bucket.name, Key: "target.bin" }));
    assert.equal(sha256(Buffer.from(await Body!.transformToByteArray())), sha256(source));
    observe("multipart: ListParts (`upload.parts`), UploadPartCopy (`part.copyFrom`)");
  });
});

describe("signatures and permissions on Ceph", () => {
  test("a wrong secret key is refused with SignatureDoesNotMatch, and explained in one sentence", async (t) => {
    if (needsCeph(t)) return;
    const wrong = clientAs({ accessKeyId: server.server.credentials.accessKeyId, secretAccessKey: "not-the-secret-key-0000000000000000000000" });
    const raw = await rawFailure(wrong.send(new ListBucketsCommand({})));
    assert.deepEqual(raw, { name: "SignatureDoesNotMatch", status: 403 });
    const error = await failure(wrong.send(new ListBucketsCommand({})));
    assert.equal(error.code, "SignatureDoesNotMatch");
    assert.doesNotMatch(error.message, /\n/);
    wrong.destroy();
    observe("signatures: a wrong secret key is refused (SignatureDoesNotMatch)");
  });

  test("another user is denied a bucket's objects until a bucket policy allows them", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await newBucket("policy");
    await bucket.putObject({ Key: "shared/report.txt", Body: "for the other user" });
    await bucket.putObject({ Key: "private/notes.txt", Body: "not for them" });
    const other = clientAs(otherUser());
    const get = (Key: string) => other.send(new GetObjectCommand({ Bucket: bucket.name, Key }));

    const before = await rawFailure(get("shared/report.txt"));
    assert.deepEqual(before, { name: "AccessDenied", status: 403 });

    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: ["arn:aws:iam:::user/other"] }, Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket.name}/shared/*`] }],
    };
    await bucket.policy().put({ Policy: JSON.stringify(policy) });
    const loaded = bucket.policy();
    await loaded.load();
    assert.deepEqual(JSON.parse(loaded.policy!).Statement[0].Resource, [`arn:aws:s3:::${bucket.name}/shared/*`]);

    assert.equal(await (await get("shared/report.txt")).Body!.transformToString(), "for the other user");
    const denied = await failure(get("private/notes.txt"));
    assert.equal(denied.code, "AccessDenied");
    assert.equal(denied.message, `Access to s3://${bucket.name}/private/notes.txt was denied (AccessDenied): check the credentials and their permissions.`);
    other.destroy();
    observe("bucket policy: another user denied (AccessDenied), then allowed by a policy");
  });

  test("a presigned POST whose conditions are violated, or that has expired, stores nothing", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await newBucket("post");
    const post = async (key: string, body: string, expiresIn = 60) => {
      const { url, fields } = await presignedPost(server.client, bucket.name, key, { expiresIn, conditions: [["content-length-range", 0, 10]] });
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      data.append("file", new Blob([body]));
      return { send: () => fetch(url, { method: "POST", body: data }) };
    };
    assert.equal((await (await post("small.txt", "tiny")).send()).status, 204);
    const tooBig = await (await post("big.txt", "far longer than ten bytes")).send();
    assert.equal(tooBig.status, 400);
    assert.match(await tooBig.text(), /<Code>EntityTooLarge<\/Code>/);
    const late = await post("late.txt", "tiny", 1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    assert.equal((await late.send()).status, 403);
    for (const Key of ["big.txt", "late.txt"]) {
      assert.equal((await rawFailure(server.client.send(new HeadObjectCommand({ Bucket: bucket.name, Key })))).status, 404, `${Key} not stored`);
    }
    observe("presigned POST: policy conditions and expiry enforced");
  });
});

describe("object lock on Ceph", () => {
  test("a version under governance retention cannot be deleted, except by bypassing governance", async (t) => {
    if (needsCeph(t)) return;
    const Bucket = uniqueBucket("locked");
    await server.client.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    const { VersionId } = await server.client.send(new PutObjectCommand({ Bucket, Key: "ledger.csv", Body: "a,b\n1,2\n" }));
    const RetainUntilDate = new Date(Date.now() + 24 * 3600 * 1000);
    await server.client.send(new PutObjectRetentionCommand({ Bucket, Key: "ledger.csv", VersionId, Retention: { Mode: "GOVERNANCE", RetainUntilDate } }));

    const refused = await failure(server.client.send(new DeleteObjectCommand({ Bucket, Key: "ledger.csv", VersionId })));
    assert.equal(refused.code, "AccessDenied");
    assert.equal((await server.client.send(new HeadObjectCommand({ Bucket, Key: "ledger.csv", VersionId }))).ObjectLockMode, "GOVERNANCE");

    await server.client.send(new DeleteObjectCommand({ Bucket, Key: "ledger.csv", VersionId, BypassGovernanceRetention: true }));
    assert.equal((await rawFailure(server.client.send(new HeadObjectCommand({ Bucket, Key: "ledger.csv", VersionId })))).status, 404);
    observe("object lock: governance retention");
  });
});
