// One scenario, run with boto3 (Debian's python3-boto3) and with s3kit against the same server:
// no stale attribute, no invented field, the same error codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { S3KitError, ServiceResource } from "s3kit";
import { root } from "./helpers/kit";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

type Outcome = { value?: unknown; code?: string; status?: number };

/** What a step gives: its value, or its error's code and HTTP status. NotLoaded is the kit's own. */
async function outcome(step: () => unknown): Promise<Outcome> {
  try {
    return { value: await step() };
  } catch (error) {
    assert.ok(error instanceof S3KitError, String(error));
    return { code: error.code, status: error.$metadata?.httpStatusCode };
  }
}

test("the same scenario with boto3 and with s3kit: fresh attributes, nothing invented, the same codes", async () => {
  const s3 = new ServiceResource(server.client);
  const boto3Bucket = (await s3.createBucket({ Bucket: uniqueBucket("boto3") })).name;
  const { accessKeyId, secretAccessKey } = await server.client.config.credentials();
  const env = { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
  const run = spawnSync("/usr/bin/python3", [path.join(root, "test", "parity", "boto3-scenario.py"), server.endpoint, boto3Bucket], { encoding: "utf8", env });
  assert.equal(run.status, 0, `the boto3 scenario failed (npm test installs Debian's python3-boto3): ${run.stderr}`);
  const boto3: Record<string, Outcome> = JSON.parse(run.stdout);

  const bucket = await s3.createBucket({ Bucket: uniqueBucket("s3kit") });
  const obj = bucket.object("k");
  const kit: Record<string, Outcome> = {};
  /** boto3 loads on attribute access; s3kit says NotLoaded, and gives boto3's value once loaded. */
  const attribute = async (name: string, read: () => unknown) => {
    const before = await outcome(read);
    assert.ok(before.code === "NotLoaded" || before.value === boto3[name].value, `${name}: ${JSON.stringify(before)} is a stale value`);
    kit[name] = await outcome(async () => (await obj.load(), read()));
  };
  await obj.put({ Body: "12345" });
  await attribute("length before", () => obj.contentLength);
  await obj.put({ Body: "1234567890" });
  await attribute("length after put", () => obj.contentLength);
  await bucket.putObject({ Key: "src", Body: "s" });
  await obj.copyFrom({ CopySource: { Bucket: bucket.name, Key: "src" }, MetadataDirective: "REPLACE", Metadata: { stage: "copied" } });
  await attribute("metadata after copy_from", () => obj.metadata);
  const summary = s3.objectSummary(bucket.name, "k");
  await summary.load();
  kit["summary fields after load"] = { value: Object.keys(summary.meta.data!).sort() };
  kit["summary storage class after load"] = { value: summary.storageClass ?? null };
  const [listed] = await bucket.objects.limit(1).toArray();
  kit["owner in listing"] = { value: listed.owner !== undefined };
  kit["get missing key"] = await outcome(() => bucket.object("nope").get());
  kit["head missing key"] = await outcome(() => bucket.object("nope").load());
  kit["get in missing bucket"] = await outcome(() => s3.object(`${bucket.name}-gone`, "k").get());
  kit["delete non-empty bucket"] = await outcome(() => bucket.delete());
  kit["cors never set"] = await outcome(() => bucket.cors().load());
  kit["copy from missing source"] = await outcome(() => bucket.object("dst").copyFrom({ CopySource: { Bucket: bucket.name, Key: "nope" } }));
  kit["abort missing upload"] = await outcome(() => obj.multipartUpload("no-such-upload").abort());
  await obj.delete();
  const afterDelete = await outcome(() => obj.contentLength);
  assert.equal(afterDelete.code, "NotLoaded", "after delete() no old length is readable");
  kit["length after delete"] = await outcome(() => obj.load());

  // boto3's HEAD error has only the status ("404"); s3kit's one HeadBucket names it NoSuchKey.
  for (const name of ["head missing key", "length after delete"]) {
    assert.deepEqual(boto3[name], { code: "404", status: 404 });
    assert.deepEqual(kit[name], { code: "NoSuchKey", status: 404 });
    delete boto3[name];
    delete kit[name];
  }
  // Field names: the SDK v3 and botocore parse the same HEAD answer into the same names.
  assert.deepEqual(kit, boto3);
});
