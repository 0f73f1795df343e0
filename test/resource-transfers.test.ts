import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ServiceResource } from "s3kit";
import { sha256, sha256File } from "./helpers/hash";
import { tempDir, uniqueBucket, useLocalServer } from "./helpers/server";

// The managed transfers and presigning boto3 injects into Bucket and Object, reached from resources.
const server = useLocalServer();

test("bucket.uploadFile then obj.downloadFile round-trips a multipart-sized file", async () => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  const dir = tempDir();
  const source = path.join(dir, "source.bin");
  writeFileSync(source, Buffer.from(Array.from({ length: 5 * 1024 * 1024 + 1 }, (_, i) => (i * 31) % 251)));

  await bucket.uploadFile(source, "big.bin", { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 });
  const obj = bucket.object("big.bin");
  await obj.load();
  assert.equal(obj.contentLength, 5 * 1024 * 1024 + 1);

  const copy = path.join(dir, "copy.bin");
  await obj.downloadFile(copy, { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 });
  assert.equal(await sha256File(copy), await sha256File(source));
});

test("bucket.copy keeps metadata, and obj.presignedUrl serves the copy to plain fetch", async () => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  await bucket.object("original.txt").uploadData("copied words\n", { metadata: { author: "ada" } });

  await bucket.copy({ Bucket: bucket.name, Key: "original.txt" }, "copy.txt");
  const copied = bucket.object("copy.txt");
  await copied.load();
  assert.deepEqual(copied.metadata, { author: "ada" });
  assert.equal(copied.contentType, "text/plain; charset=utf-8");

  const response = await fetch(await copied.presignedUrl("GET", { expiresIn: 60 }));
  assert.equal(response.status, 200);
  assert.equal(sha256(Buffer.from(await response.arrayBuffer())), sha256("copied words\n"));
});

test("bucket.uploadDirectory and bucket.downloadPrefix mirror a folder", async () => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  const source = tempDir();
  writeFileSync(path.join(source, "a.txt"), "alpha\n");
  writeFileSync(path.join(source, "b.txt"), "beta\n");

  const uploaded = await bucket.uploadDirectory(source, "docs/", {});
  assert.deepEqual([...uploaded].sort(), ["docs/a.txt", "docs/b.txt"]);
  const target = tempDir();
  await bucket.downloadPrefix("docs/", target, {});
  assert.equal(readFileSync(path.join(target, "a.txt"), "utf8"), "alpha\n");
  assert.equal(readFileSync(path.join(target, "b.txt"), "utf8"), "beta\n");
});
