// Inputs that used to go wrong silently (issue 14): each case failed on the main branch before it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { inspect } from "node:util";
import { after, describe, test } from "node:test";
import { CreateBucketCommand, DeleteObjectCommand, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  createClient,
  downloadFile,
  downloadPrefix,
  presignedPost,
  presignedUrl,
  redactSecrets,
  S3KitError,
  ServiceResource,
  uploadData,
  uploadDirectory,
  uploadFile,
} from "s3kit";
import { capturingClient } from "./helpers/capture";
import { root } from "./helpers/kit";
import { tempDir, uniqueBucket, useLocalServer } from "./helpers/server";

const MiB = 1024 * 1024;
const server = useLocalServer();
const work = tempDir("s3kit-hostile-");
after(() => rmSync(work, { recursive: true, force: true }));

async function newBucket(): Promise<string> {
  const Bucket = uniqueBucket("hostile");
  await server.client.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

async function rejection(promise: Promise<unknown>): Promise<S3KitError> {
  const error = await promise.then(() => assert.fail("expected a failure"), (e: unknown) => e);
  assert.ok(error instanceof S3KitError, `expected an S3KitError, got ${String(error)}`);
  return error;
}

async function bucketExists(Bucket: string): Promise<boolean> {
  return server.client.send(new HeadBucketCommand({ Bucket })).then(() => true, () => false);
}

describe("empty keys", () => {
  test("are refused before anything is sent: no bucket created, none deleted", async () => {
    const { client, sent } = capturingClient(server.endpoint);
    const file = path.join(work, "one.txt");
    writeFileSync(file, "one");
    const fresh = uniqueBucket("newbucket");
    const expected = `Cannot use the key "" in s3://${fresh}: the key is empty, which would address the bucket itself; give a non-empty key of at most 1024 bytes.`;
    assert.equal((await rejection(uploadFile(client, file, fresh, ""))).message, expected);
    assert.equal((await rejection(uploadData(client, "x", fresh, ""))).code, "InvalidName");
    assert.equal((await rejection(new ServiceResource(client).bucket(fresh).putObject({ Key: "", Body: "x" }))).message, expected);
    assert.equal(sent.length, 0, "nothing sent");
    assert.equal(await bucketExists(fresh), false, "an empty key must not turn PutObject into CreateBucket");

    const Bucket = await newBucket();
    await rejection(new ServiceResource(client).object(Bucket, "").delete());
    // The client itself refuses too, as botocore does: DeleteObject with Key "" would be DeleteBucket.
    await assert.rejects(client.send(new DeleteObjectCommand({ Bucket, Key: "" })), { name: "S3KitError", code: "InvalidName" });
    assert.equal(await bucketExists(Bucket), true);
  });

  test("keys over 1,024 bytes are refused with the rule, where HEAD could not say why", async () => {
    const error = await rejection(new ServiceResource(server.client).object("any-bucket", "ü".repeat(600)).load());
    assert.equal(error.code, "InvalidName");
    assert.match(error.message, /the key is 1200 bytes long; S3 keys are at most 1024 bytes \(UTF-8\)/);
  });
});

describe("downloadPrefix", () => {
  test("two keys that would be one file are refused before anything is written", async () => {
    const Bucket = await newBucket();
    // "d/a" is a file and "d/a/b.txt" needs "a" as a folder; both are distinct keys on every S3.
    for (const Key of ["d/a", "d/a/b.txt"]) await server.client.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const target = path.join(work, "collide");
    const error = await rejection(downloadPrefix(server.client, Bucket, "d/", target));
    assert.equal(error.code, "InvalidArgument");
    assert.equal(error.message, `The keys "d/a/b.txt" and "d/a" in s3://${Bucket} would both be written to a: nothing was downloaded; rename one of them, or download them one by one with downloadFile.`);
    assert.equal(existsSync(target), false);
  });

  test("keys equal once normalised (a//b, a/./b) are refused, and '..hidden' is an ordinary name", async () => {
    const { planDownloads } = await import("../lib/src/transfers/folders");
    const target = path.join(work, "plan");
    const keys = ["d/a/b.txt", "d/a//b.txt", "d/a/./b.txt"];
    assert.throws(() => planDownloads(keys.map((key) => ({ key, size: 1 })), "d/", target, "bkt"), {
      message: `The keys "d/a/b.txt" and "d/a//b.txt" in s3://bkt would both be written to ${path.join("a", "b.txt")}: nothing was downloaded; rename one of them, or download them one by one with downloadFile.`,
    });
    const Bucket = await newBucket();
    await server.client.send(new PutObjectCommand({ Bucket, Key: "h/..hidden", Body: "dots" }));
    const hidden = path.join(work, "hidden");
    assert.deepEqual(await downloadPrefix(server.client, Bucket, "h/", hidden), ["..hidden"]);
    assert.deepEqual(readdirSync(hidden), ["..hidden"]);
  });
});

describe("uploadDirectory and symbolic links", () => {
  test("follows links to files and folders, as aws s3 cp --recursive does", async () => {
    const outside = path.join(work, "outside");
    mkdirSync(path.join(outside, "inner"), { recursive: true });
    writeFileSync(path.join(outside, "linked.txt"), "linked file");
    writeFileSync(path.join(outside, "inner", "deep.txt"), "deep");
    const dir = path.join(work, "with-links");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "plain.txt"), "plain");
    symlinkSync(path.join(outside, "linked.txt"), path.join(dir, "file-link.txt"));
    symlinkSync(path.join(outside, "inner"), path.join(dir, "folder-link"));
    const Bucket = await newBucket();
    assert.deepEqual(await uploadDirectory(server.client, dir, Bucket, "up"), ["up/file-link.txt", "up/folder-link/deep.txt", "up/plain.txt"]);
    const back = path.join(work, "links-back");
    await downloadPrefix(server.client, Bucket, "up/", back);
    assert.equal(readdirSync(path.join(back, "folder-link")).join(), "deep.txt");
  });

  test("a link loop is refused with one sentence naming the link, before anything is sent", async () => {
    const dir = path.join(work, "loop");
    mkdirSync(path.join(dir, "sub"), { recursive: true });
    writeFileSync(path.join(dir, "sub", "f.txt"), "f");
    symlinkSync(dir, path.join(dir, "sub", "back-up"));
    const { client, sent } = capturingClient(server.endpoint);
    const error = await rejection(uploadDirectory(client, dir, await newBucket(), ""));
    assert.equal(error.code, "LocalFile");
    assert.equal(error.message, `${path.join(dir, "sub", "back-up")} links back to ${dir}, a folder it is inside (a symbolic link loop): remove the link; nothing was uploaded.`);
    assert.equal(sent.length, 0);
  });
});

describe("downloads and the local filesystem", () => {
  test("a destination that is a folder, or a name too long, is refused before any request", async () => {
    const Bucket = await newBucket();
    await server.client.send(new PutObjectCommand({ Bucket, Key: "f1", Body: "x" }));
    const { client, sent } = capturingClient(server.endpoint);
    const folder = path.join(work, "a-folder");
    mkdirSync(folder);
    const isFolder = await rejection(downloadFile(client, Bucket, "f1", folder));
    assert.equal(isFolder.code, "LocalFile");
    assert.equal(isFolder.message, `Cannot download s3://${Bucket}/f1 to ${folder}: it is a folder; give a file path inside it, e.g. ${path.join(folder, "a-folder")}.`);
    const tooLong = await rejection(downloadFile(client, Bucket, "f1", path.join(work, "n".repeat(256))));
    assert.match(tooLong.message, /the file name is 256 bytes long, over the 255 a file name may have; pick a shorter name\.$/);
    assert.equal(sent.length, 0);
    // 233 characters used to fail: the kit's temporary name added to it. Now it is short.
    const longName = path.join(work, "l".repeat(233));
    await downloadFile(client, Bucket, "f1", longName);
    assert.ok(existsSync(longName));
  });

  test("a folder the process cannot write to is refused before downloading", { skip: process.getuid?.() === 0 && "root may write anywhere" }, async () => {
    const Bucket = await newBucket();
    await server.client.send(new PutObjectCommand({ Bucket, Key: "f1", Body: "x" }));
    const readOnly = path.join(work, "read-only");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    const error = await rejection(downloadFile(server.client, Bucket, "f1", path.join(readOnly, "f1")));
    assert.match(error.message, /is not writable by this process/);
    assert.deepEqual(readdirSync(readOnly), []);
  });

  test("Ctrl-C (SIGINT) during a download leaves no temporary file; a killed download's leftover goes with the next one", async () => {
    const Bucket = await newBucket();
    await uploadData(server.client, Buffer.alloc(40 * MiB, 7), Bucket, "big.bin");
    const folder = path.join(work, "interrupted");
    mkdirSync(folder);
    // The child interrupts itself at the first bytes, so the download is surely under way.
    const downloadScript = (settled = "") => `
      const { createClient, downloadFile } = require(${JSON.stringify(path.join(root, "lib"))});
      const client = createClient({ kind: "local", endpoint: ${JSON.stringify(server.endpoint)}, region: "us-east-1" });
      downloadFile(client, ${JSON.stringify(Bucket)}, "big.bin", ${JSON.stringify(path.join(folder, "big.bin"))}, {
        partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024,
        progress: () => process.kill(process.pid, "SIGINT"),
      })${settled};`;
    const child = spawnSync(process.execPath, ["-e", downloadScript()], { encoding: "utf8", timeout: 60_000 });
    assert.equal(child.signal, "SIGINT", `the child ended by its Ctrl-C: ${child.stderr}`);
    assert.deepEqual(readdirSync(folder), []);

    // A Jupyter kernel (tslab) listens to SIGINT and lives on: the download stops, its file goes.
    const kernelLike = `process.on("SIGINT", () => undefined);${downloadScript(".then(() => console.log('finished'), (e) => console.log('stopped:', e.code))")}`;
    const survivor = spawnSync(process.execPath, ["-e", kernelLike], { encoding: "utf8", timeout: 60_000 });
    assert.equal(survivor.status, 0, survivor.stderr);
    assert.equal(survivor.stdout.trim(), "stopped: Aborted");
    assert.deepEqual(readdirSync(folder), []);

    const leftover = path.join(folder, ".s3kit-999999999-0badf00d.download"); // a pid no process has
    writeFileSync(leftover, "partial");
    await downloadFile(server.client, Bucket, "big.bin", path.join(folder, "big.bin"));
    assert.deepEqual(readdirSync(folder), ["big.bin"]);
  });

  test("a download with many parts in flight prints no MaxListenersExceededWarning", async () => {
    const Bucket = await newBucket();
    await uploadData(server.client, Buffer.alloc(60 * MiB, 3), Bucket, "wide.bin");
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      await downloadFile(server.client, Bucket, "wide.bin", path.join(work, "wide.bin"), { partSize: 5 * MiB, concurrency: 12 });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map(String), []);
  });
});

describe("a server that accepts and never answers", () => {
  test("a request fails after the request timeout with one sentence, not minutes later", async () => {
    const stalled = net.createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(stalled.address() as net.AddressInfo).port}`;
    const client = createClient({ kind: "endpoint", endpoint, region: "us-east-1" }, { accessKeyId: "k", secretAccessKey: "s" }, { requestTimeout: 500 });
    try {
      const s3 = new ServiceResource(client);
      for (const [operation, call] of [["HeadObject", () => s3.object("b", "k").load()], ["ListBuckets", () => s3.buckets.all().toArray()]] as const) {
        const started = Date.now();
        const error = await rejection(call());
        assert.ok(Date.now() - started < 5_000, `${operation} took ${Date.now() - started} ms`);
        assert.equal(error.code, "Timeout");
        assert.match(error.message, new RegExp(`^${operation} on .* got no answer from ${endpoint} in time: check that the server is running and not overloaded, then try again\\.$`));
      }
    } finally {
      client.destroy();
      stalled.close();
    }
  });
});

describe("secrets and presigning", () => {
  test("signatures and credentials are redacted in every printed form of a POST form, an error and a request", async () => {
    const post = await presignedPost(server.client, "b", "k", { expiresIn: 60 });
    const signature = post.fields["X-Amz-Signature"];
    const credential = post.fields["X-Amz-Credential"];
    const authorization = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=${signature}`;
    const error = Object.assign(new Error("refused"), { request: { headers: { authorization } } });
    const html = JSON.stringify(post.fields).replace(/"/g, "&quot;");
    for (const printed of [inspect(post), JSON.stringify(post), JSON.stringify(post, null, 2), inspect(error, { depth: 5 }), html, `Authorization: ${authorization}`]) {
      const shown = redactSecrets(printed);
      assert.ok(!shown.includes(signature) && !shown.includes(credential), `not redacted: ${shown}`);
    }
    assert.match(redactSecrets(inspect(post)), /'X-Amz-Signature': …/);
  });

  test("presigned URLs grant exactly the method asked for, or are refused", async () => {
    const Bucket = await newBucket();
    await server.client.send(new PutObjectCommand({ Bucket, Key: "doomed.txt", Body: "x" }));
    const deleteUrl = await presignedUrl(server.client, "DELETE", Bucket, "doomed.txt", { expiresIn: 60 });
    assert.equal((await fetch(deleteUrl, { method: "DELETE" })).status, 204);
    assert.equal(await new ServiceResource(server.client).object(Bucket, "doomed.txt").exists(), false);
    const headUrl = await presignedUrl(server.client, "HEAD", Bucket, "doomed.txt", { expiresIn: 60 });
    assert.equal((await fetch(headUrl, { method: "HEAD" })).status, 404);
    const refused = await rejection(presignedUrl(server.client, "POST" as "GET", Bucket, "doomed.txt"));
    assert.equal(refused.message, `Cannot presign the method "POST" for s3://${Bucket}/doomed.txt: use GET, PUT, HEAD, DELETE.`);
  });
});
