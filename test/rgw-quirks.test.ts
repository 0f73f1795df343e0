import assert from "node:assert/strict";
import { test } from "node:test";
import { explain, S3KitError, ServiceResource } from "s3kit";
import { attachRequestContext } from "../lib/src/errors";
import { isS3rver } from "./helpers/engine";
import { uniqueBucket, useLocalServer } from "./helpers/server";

// Ceph RGW 16.2 answers in ways AWS does not (measured, see the README's engine notes); what the
// kit reports must come out right anyway.
const server = useLocalServer();

/** An SDK error as RGW's empty <Message> makes it: the SDK fills in "UnknownError". */
function rgwError(name: string, status: number): Error {
  return Object.assign(new Error("UnknownError"), { name, $metadata: { httpStatusCode: status } });
}

test("errors with an empty <Message> still read as one plain sentence, without the SDK's UnknownError", () => {
  const expired = rgwError("AccessDenied", 403);
  attachRequestContext(expired, { operation: "presigned request", endpoint: "http://127.0.0.1:7480", local: false, bucket: "b", key: "k.txt", presigned: true, expired: true });
  assert.equal(explain(expired).message, "The presigned URL for s3://b/k.txt has expired: create a new one with a longer expiresIn.");

  const refused = rgwError("MethodNotAllowed", 405);
  attachRequestContext(refused, { operation: "PutBucketWebsite", endpoint: "http://127.0.0.1:7480", local: false, bucket: "b" });
  assert.equal(explain(refused).message, "PutBucketWebsite on s3://b failed (MethodNotAllowed).");
});

test("a versioned object whose latest version is a delete marker reads as gone, and its marker is listed as one", async (t) => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket("marker") });
  if (await isS3rver(server.client, bucket.name)) return t.skip("this server has no versioning (the kit's s3rver fallback)");
  await bucket.versioning().enable();
  const obj = await bucket.putObject({ Key: "kept.txt", Body: "first words" });
  const { DeleteMarker, VersionId } = await obj.delete();
  assert.equal(DeleteMarker, true);

  // RGW's GET of a delete marker lacks x-amz-delete-marker; the kit reads the state from answers that carry it.
  assert.equal(await obj.exists(), false);
  const error = await obj.get().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof S3KitError);
  assert.equal(error.message, `s3://${bucket.name}/kept.txt does not exist: check the key, or list the bucket to see what is there.`);
  const versions = await bucket.objectVersions.all().toArray();
  const marker = versions.find((v) => v.id === VersionId);
  assert.ok(marker?.isDeleteMarker, "the delete marker is listed as one");
  assert.equal(marker.isLatest, true);
  const [original] = versions.filter((v) => !v.isDeleteMarker);
  assert.equal(await (await original.get()).text(), "first words");
});
