import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { test, type TestContext } from "node:test";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createClient, S3KitError, ServiceResource, startLocalServer, type Bucket } from "s3kit";
import { isS3rver } from "./helpers/engine";
import { sha256 } from "./helpers/hash";
import { uniqueBucket, useLocalServer } from "./helpers/server";

// The local server must never let a key write outside its bucket, and must never hold half an
// object. s3rver maps keys to file paths, so the kit's s3rver process refuses the keys it cannot
// store; Ceph stores any S3 key as an opaque name.
const server = useLocalServer();

const HOSTILE_KEYS = ["../victim/planted.txt", "../../escaped.txt", "../rootfile.txt", "dots/../up.txt", `long/${"x".repeat(300)}`, "a//b", "/lead"];

async function refusal(request: () => Promise<unknown>): Promise<S3KitError> {
  const error = await request().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof S3KitError, `expected a refusal, got ${String(error)}`);
  return error;
}

/** Every file under `folder`, relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath ?? entry.path, entry.name)));
}

test("hostile keys never write outside their bucket, the server stays up, and a refusal is one sentence", async () => {
  const s3 = new ServiceResource(server.client);
  const victim = await s3.createBucket({ Bucket: uniqueBucket("victim") });
  await victim.putObject({ Key: "planted.txt", Body: "the victim's own words" });
  const trav = await s3.createBucket({ Bucket: uniqueBucket("trav") });
  await trav.putObject({ Key: "fine.txt", Body: "fine" });
  const s3rver = await isS3rver(server.client, trav.name);

  for (const key of HOSTILE_KEYS) {
    const obj = trav.object(key);
    if (s3rver) {
      const sentence = new RegExp(`^The key "${key.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" [^\\n]*: the kit's local s3rver fallback cannot store such keys, so rename it, or use the Ceph engine \\(S3KIT_SERVER=ceph\\), which can\\.$`);
      for (const [operation, request] of [
        ["PutObject", () => obj.put({ Body: "evil" })],
        ["GetObject", () => obj.get()],
        ["HeadObject", () => obj.load()],
        ["DeleteObject", () => obj.delete()],
        ["CreateMultipartUpload", () => obj.initiateMultipartUpload()],
        ["CopyObject to it", () => obj.copyFrom({ CopySource: { Bucket: trav.name, Key: "fine.txt" } })],
        ["CopyObject from it", () => trav.object("copy.txt").copyFrom({ CopySource: { Bucket: trav.name, Key: key } })],
      ] as const) {
        const error = await refusal(request);
        assert.match(error.message, sentence, `${operation} of ${key}`);
        assert.equal(error.code, "UnsupportedKey");
      }
      const { Errors = [], Deleted = [] } = await trav.deleteObjects({ Delete: { Objects: [{ Key: key }] } });
      assert.deepEqual([Deleted.length, Errors[0]?.Key, Errors[0]?.Code], [0, key, "UnsupportedKey"], `DeleteObjects of ${key}`);
    } else {
      // A real S3 engine stores the key as the exact name it is: same bytes back, no other key touched.
      await obj.put({ Body: `stored as ${key}` });
      assert.equal(await (await obj.get()).text(), `stored as ${key}`);
      await obj.delete();
    }
  }

  assert.equal(await (await victim.object("planted.txt").get()).text(), "the victim's own words");
  assert.deepEqual((await trav.objects.all().toArray()).map((o) => o.key), ["fine.txt"]);
  assert.ok((await s3.buckets.all().toArray()).length >= 2, "the server still answers");
  if (s3rver) {
    // On disk: the trav bucket's folder holds only fine.txt, and nothing escaped the data folder.
    const { dataDir } = server.server;
    assert.deepEqual(filesUnder(path.join(dataDir, trav.name)).filter((f) => f.endsWith("._S3rver_object")), ["fine.txt._S3rver_object"]);
    assert.deepEqual(filesUnder(path.join(dataDir, victim.name)).filter((f) => f.endsWith("._S3rver_object")), ["planted.txt._S3rver_object"]);
    for (const escaped of ["escaped.txt._S3rver_object", "rootfile.txt._S3rver_object"]) {
      assert.equal(existsSync(path.join(dataDir, escaped)), false);
      assert.equal(existsSync(path.join(dataDir, "..", escaped)), false);
    }
    assert.ok(readdirSync(dataDir, { withFileTypes: true }).every((entry) => entry.isDirectory()), "only bucket folders at the top");
  }
});

test("a malformed %-escape in the path is refused, and the server stays up", async () => {
  const bucket = await new ServiceResource(server.client).createBucket({ Bucket: uniqueBucket() });
  const response = await fetch(`${server.endpoint}/${bucket.name}/bad%E0%A4%A`, { method: "PUT", body: "x" });
  assert.ok(response.status >= 400 && response.status < 500, `answered ${response.status}`);
  assert.deepEqual((await bucket.objects.all().toArray()).map((o) => o.key), []);
});

test("DeleteObjects deletes keys with a trailing space or that look like numbers, and reports exactly those", async () => {
  const bucket = await new ServiceResource(server.client).createBucket({ Bucket: uniqueBucket() });
  const keys = ["report.txt ", " padded", "007", "1e3"];
  for (const Key of keys) await bucket.putObject({ Key, Body: Key });
  await bucket.putObject({ Key: "report.txt", Body: "kept" });
  const { Deleted = [], Errors = [] } = await bucket.deleteObjects({ Delete: { Objects: keys.map((Key) => ({ Key })) } });
  assert.deepEqual(Errors, []);
  assert.deepEqual(Deleted.map((d) => d.Key).sort(), [...keys].sort());
  assert.deepEqual((await bucket.objects.all().toArray()).map((o) => o.key), ["report.txt"]);
});

test("a copy onto an existing key carries the new bytes' ETag, also with replaced metadata", async () => {
  const bucket = await new ServiceResource(server.client).createBucket({ Bucket: uniqueBucket() });
  await bucket.putObject({ Key: "target.txt", Body: "old bytes" });
  await bucket.putObject({ Key: "source.txt", Body: "new bytes" });
  await bucket.object("target.txt").copyFrom({ CopySource: `${bucket.name}/source.txt`, MetadataDirective: "REPLACE", ContentType: "text/csv" });
  const target = bucket.object("target.txt");
  await target.load();
  assert.equal(target.eTag, `"${createHash("md5").update("new bytes").digest("hex")}"`);
  assert.equal(target.contentType, "text/csv");
  assert.equal(await (await target.get()).text(), "new bytes");
});

const MiB = 1024 * 1024;

/** 64 MiB of bytes made of `seed`, as a stream that says when `killAt` bytes have been read. */
function body(seed: number, size: number, killAt?: number, onKillPoint?: () => void): Readable {
  const chunk = Buffer.alloc(MiB, seed);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      sent += MiB;
      this.push(chunk);
      if (killAt !== undefined && sent === killAt) onKillPoint?.();
    },
  });
}

async function hashes(bucket: Bucket, key: string): Promise<{ sha: string; md5: string; etag?: string }> {
  const obj = bucket.object(key);
  const bytes = await (await obj.get()).bytes();
  await obj.load(); // after get(): an action drops the attributes loaded before it, as in boto3
  return { sha: sha256(bytes), md5: `"${createHash("md5").update(bytes).digest("hex")}"`, etag: obj.eTag };
}

/**
 * For a test that kills a server: a bucket name and an s3rver of the test's own on a data folder of
 * its own (so that killing it disturbs no other test), the folder removed after the test. Ceph's
 * kill and restart is tested with its lifecycle (ceph-engine.test.ts): there the test is skipped.
 */
async function ownS3rver(t: TestContext, name: string, skipReason: string) {
  const bucketName = uniqueBucket();
  await new ServiceResource(server.client).createBucket({ Bucket: bucketName });
  if (!(await isS3rver(server.client, bucketName))) {
    t.skip(skipReason);
    return undefined;
  }
  const dataDir = path.join(server.server.dataDir, "..", `${path.basename(server.server.dataDir)}-${name}`);
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  return { bucketName, dataDir, start: () => startLocalServer({ dataDir, port: 0 }) };
}

/** Runs `check` against a server started again on `dataDir` (after a kill), then stops it. */
async function afterRestart(dataDir: string, check: (client: S3Client) => Promise<void>): Promise<void> {
  const restarted = await startLocalServer({ dataDir, port: 0 });
  const client = createClient({ kind: "local", endpoint: restarted.endpoint, region: "us-east-1" });
  try {
    await check(client);
  } finally {
    client.destroy();
    await restarted.stop();
  }
}

test("kill -9 in the middle of a 64 MiB overwrite: after a restart the key holds the old or the new object, ETag matching", async (t) => {
  const own = await ownS3rver(t, "kill", "s3rver's atomic writes; the Ceph engine's kill and restart is tested with its lifecycle");
  if (!own) return;
  const { bucketName, dataDir } = own;
  const size = 64 * MiB;
  let old = { sha: "" };
  const victim = await own.start();
  const client = createClient({ kind: "local", endpoint: victim.endpoint, region: "us-east-1" });
  try {
    const bucket = await new ServiceResource(client).createBucket({ Bucket: bucketName });
    await client.send(new PutObjectCommand({ Bucket: bucketName, Key: "big.bin", Body: body(1, size), ContentLength: size }));
    old = await hashes(bucket, "big.bin");

    const overwrite = client.send(
      new PutObjectCommand({
        Bucket: bucketName,
        Key: "big.bin",
        ContentLength: size,
        Body: body(2, size, 40 * MiB, () => process.kill(victim.pid, "SIGKILL")),
      }),
    );
    await assert.rejects(overwrite);
  } finally {
    client.destroy();
    await victim.stop();
  }

  await afterRestart(dataDir, async (client) => {
    const after = await hashes(new ServiceResource(client).bucket(bucketName), "big.bin");
    assert.equal(after.sha, old.sha, "the interrupted PUT had not committed, so the old object stays");
    assert.equal(after.etag, after.md5, "the ETag is the MD5 of the bytes held");

    // And a PUT that completes replaces it whole.
    await client.send(new PutObjectCommand({ Bucket: bucketName, Key: "big.bin", Body: body(3, size), ContentLength: size }));
    const replaced = await hashes(new ServiceResource(client).bucket(bucketName), "big.bin");
    assert.equal(replaced.sha, sha256(Buffer.alloc(size, 3)));
    assert.equal(replaced.etag, replaced.md5);
  });
});

test("kill -9 during CompleteMultipartUpload over an existing object: after a restart the key holds the old or the new object, whole", async (t) => {
  const own = await ownS3rver(t, "complete", "s3rver's atomic writes; the Ceph engine's kill and restart is tested with its lifecycle");
  if (!own) return;
  const { bucketName, dataDir } = own;
  const parts = Array.from({ length: 12 }, (_, i) => Buffer.alloc(5 * MiB, 10 + i));
  let oldSha = "";
  let sawPartialWrite = false;
  const victim = await own.start();
  const client = createClient({ kind: "local", endpoint: victim.endpoint, region: "us-east-1" });
  try {
    const bucket = await new ServiceResource(client).createBucket({ Bucket: bucketName });
    await bucket.putObject({ Key: "big.bin", Body: Buffer.alloc(MiB, 1) });
    oldSha = (await hashes(bucket, "big.bin")).sha;
    const upload = await bucket.object("big.bin").initiateMultipartUpload();
    const done = [];
    for (const [i, Body] of parts.entries()) done.push({ PartNumber: i + 1, ETag: (await upload.part(i + 1).upload({ Body })).ETag });

    // Kill the server while it joins the parts into the new object (a staged file that grows).
    const staging = path.join(dataDir, bucketName, "._S3rver_staging");
    const completing = upload.complete({ MultipartUpload: { Parts: done } }).then(() => "completed", () => "killed");
    while (!sawPartialWrite && !(await Promise.race([completing.then(() => true), new Promise((r) => setTimeout(() => r(false), 2))]))) {
      sawPartialWrite = existsSync(staging) && filesUnder(staging).some((f) => f.endsWith("object") && statSync(path.join(staging, f)).size > 0);
      if (sawPartialWrite) process.kill(victim.pid, "SIGKILL");
    }
    assert.equal(await completing, sawPartialWrite ? "killed" : "completed");
  } finally {
    client.destroy();
    await victim.stop();
  }

  await afterRestart(dataDir, async (client) => {
    const after = await hashes(new ServiceResource(client).bucket(bucketName), "big.bin");
    assert.ok([oldSha, sha256(Buffer.concat(parts))].includes(after.sha), "the old object or the new one, never a mix");
    if (sawPartialWrite) assert.equal(after.sha, oldSha, "killed before its commit, the new object was dropped");
    assert.equal(after.etag, after.md5);
  });
});

test("a write committed just before a kill is finished when the server starts again: new bytes, new ETag, new metadata", async (t) => {
  const own = await ownS3rver(t, "commit", "s3rver's staged writes; Ceph commits writes itself");
  if (!own) return;
  const { bucketName, dataDir } = own;
  const first = await own.start();
  const client = createClient({ kind: "local", endpoint: first.endpoint, region: "us-east-1" });
  try {
    await new ServiceResource(client).createBucket({ Bucket: bucketName });
    await client.send(new PutObjectCommand({ Bucket: bucketName, Key: "notes/today.txt", Body: "old words", ContentType: "text/plain" }));
  } finally {
    client.destroy();
    await first.stop();
  }

  // What a server killed between its commit and its renames leaves: the staged files and their
  // targets, with the metadata already renamed into place and the bytes and MD5 not yet.
  const bucketDir = path.join(dataDir, bucketName);
  const staging = path.join(bucketDir, "._S3rver_staging", "interrupted");
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(staging, "object"), "new words");
  writeFileSync(path.join(staging, "object.md5"), createHash("md5").update("new words").digest("hex"));
  writeFileSync(path.join(bucketDir, "notes", "today.txt._S3rver_metadata.json"), JSON.stringify({ "content-type": "text/csv" }));
  writeFileSync(
    path.join(staging, "targets"),
    JSON.stringify({
      "metadata.json": "notes/today.txt._S3rver_metadata.json",
      "object.md5": "notes/today.txt._S3rver_object.md5",
      object: "notes/today.txt._S3rver_object",
    }),
  );

  await afterRestart(dataDir, async (client) => {
    const obj = new ServiceResource(client).bucket(bucketName).object("notes/today.txt");
    assert.equal(await (await obj.get()).text(), "new words");
    await obj.load();
    assert.equal(obj.eTag, `"${createHash("md5").update("new words").digest("hex")}"`);
    assert.equal(obj.contentType, "text/csv");
    assert.equal(existsSync(staging), false, "the finished write's staging folder is gone");
  });
});
