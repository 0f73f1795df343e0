import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  copyObject,
  downloadFile,
  downloadPrefix,
  isNotFound,
  S3KitError,
  uploadData,
  uploadDirectory,
  uploadFile,
  type TransferProgress,
  type UploadOptions,
} from "s3kit";
import { localPathForKey } from "../lib/src/transfers/folders";
import { observe } from "./helpers/observed";
import { sha256, sha256File } from "./helpers/hash";
import { tempDir, testEngine, uniqueBucket, useLocalServer } from "./helpers/server";

const MiB = 1024 * 1024;
const server = useLocalServer();
const work = tempDir("s3kit-transfers-");
after(() => rmSync(work, { recursive: true, force: true }));

async function getBytes(client: S3Client, Bucket: string, Key: string): Promise<Buffer> {
  const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await Body!.transformToByteArray());
}

async function bucket(): Promise<string> {
  const Bucket = uniqueBucket("xfer");
  await server.client.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

async function openUploads(client: S3Client, Bucket: string): Promise<string[]> {
  const { Uploads = [] } = await client.send(new ListMultipartUploadsCommand({ Bucket }));
  return Uploads.map((u) => u.Key!);
}

async function exists(client: S3Client, Bucket: string, Key: string): Promise<boolean> {
  return client.send(new HeadObjectCommand({ Bucket, Key })).then(
    () => true,
    (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
  );
}

/** Writes `size` random bytes in 8 MiB blocks, so that a 1 GiB file never sits in memory. */
function writeRandomFile(file: string, size: number): string {
  rmSync(file, { force: true });
  for (let written = 0; written < size; written += 8 * MiB) {
    writeFileSync(file, randomBytes(Math.min(8 * MiB, size - written)), { flag: "a" });
  }
  if (size === 0) writeFileSync(file, "");
  return file;
}

const small = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };

describe("round trips keep every byte", () => {
  for (const size of [0, 1, 5 * MiB + 1]) {
    test(`a ${size}-byte file: local → S3 → local, through multipart and ranged GETs where the size allows`, async () => {
      const Bucket = await bucket();
      const source = writeRandomFile(path.join(work, `up-${size}.bin`), size);
      const copy = path.join(work, `down-${size}.bin`);
      let updates = 0;
      const uploaded = await uploadFile(server.client, source, Bucket, `files/${size}.bin`, { ...small, progress: () => updates++ });
      assert.equal(uploaded.size, size);
      // The result carries the object's real ETag (Ceph RGW answers CompleteMultipartUpload with an empty one).
      const { ETag } = await server.client.send(new HeadObjectCommand({ Bucket, Key: `files/${size}.bin` }));
      assert.ok(ETag);
      assert.equal(uploaded.etag, ETag);
      // Uploads report once per part (s3rver's multipart ETag is a plain MD5, so it cannot tell).
      assert.equal(updates, size > 5 * MiB ? 2 : 1);
      const downloaded = await downloadFile(server.client, Bucket, `files/${size}.bin`, copy, small);
      assert.equal(downloaded.size, size);
      assert.equal(await sha256File(copy), await sha256File(source));
      rmSync(source);
      rmSync(copy);
    });

    test(`a ${size}-byte object: S3 → local → S3`, async () => {
      const Bucket = await bucket();
      const bytes = randomBytes(size);
      await server.client.send(new PutObjectCommand({ Bucket, Key: "original", Body: bytes }));
      const file = path.join(work, `object-${size}.bin`);
      await downloadFile(server.client, Bucket, "original", file, small);
      await uploadFile(server.client, file, Bucket, "again", small);
      assert.equal(sha256(await getBytes(server.client, Bucket, "again")), sha256(bytes));
      rmSync(file);
    });
  }

  test("a Buffer, a string and a stream of unknown length upload intact", async () => {
    const Bucket = await bucket();
    const bytes = randomBytes(11 * MiB);
    await uploadData(server.client, bytes, Bucket, "buffer.bin", small);
    await uploadData(server.client, "Grüße 👋", Bucket, "string.txt");
    await uploadData(server.client, Readable.from([bytes.subarray(0, 3 * MiB), bytes.subarray(3 * MiB)]), Bucket, "stream.bin", small);
    assert.equal(sha256(await getBytes(server.client, Bucket, "buffer.bin")), sha256(bytes));
    assert.equal((await getBytes(server.client, Bucket, "string.txt")).toString(), "Grüße 👋");
    assert.equal(sha256(await getBytes(server.client, Bucket, "stream.bin")), sha256(bytes));
  });
});

describe("extra arguments and progress", () => {
  test("content type is guessed from the key unless given; metadata and tags are stored", async () => {
    const Bucket = await bucket();
    await uploadData(server.client, "a,b\n1,2\n", Bucket, "data/table.csv", { metadata: { source: "test" }, tags: { team: "kit" } });
    await uploadData(server.client, "{}", Bucket, "data/odd.csv", { contentType: "application/json" });
    const head = await server.client.send(new HeadObjectCommand({ Bucket, Key: "data/table.csv" }));
    assert.equal(head.ContentType, "text/csv; charset=utf-8");
    assert.deepEqual(head.Metadata, { source: "test" });
    const { TagSet } = await server.client.send(new GetObjectTaggingCommand({ Bucket, Key: "data/table.csv" }));
    assert.deepEqual(TagSet, [{ Key: "team", Value: "kit" }]);
    assert.equal((await server.client.send(new HeadObjectCommand({ Bucket, Key: "data/odd.csv" }))).ContentType, "application/json");
    // A file above the threshold goes through the kit's own multipart upload: the same arguments stored.
    const file = writeRandomFile(path.join(work, "parts.csv"), 6 * MiB);
    await uploadFile(server.client, file, Bucket, "data/parts.csv", { ...small, metadata: { source: "file" }, tags: { team: "parts" }, storageClass: "STANDARD" });
    const parts = await server.client.send(new HeadObjectCommand({ Bucket, Key: "data/parts.csv" }));
    assert.equal(parts.ContentType, "text/csv; charset=utf-8");
    assert.deepEqual(parts.Metadata, { source: "file" });
    assert.deepEqual((await server.client.send(new GetObjectTaggingCommand({ Bucket, Key: "data/parts.csv" }))).TagSet, [{ Key: "team", Value: "parts" }]);
    assert.equal(sha256(await getBytes(server.client, Bucket, "data/parts.csv")), sha256(readFileSync(file)));
    rmSync(file);
  });

  test("the progress callback counts up to the size, both ways", async () => {
    const Bucket = await bucket();
    const bytes = randomBytes(12 * MiB);
    const seen: TransferProgress[] = [];
    await uploadData(server.client, bytes, Bucket, "p.bin", { ...small, progress: (p) => seen.push({ ...p }) });
    assert.ok(seen.length >= 3, `${seen.length} updates`);
    assert.deepEqual(seen[seen.length - 1], { name: `s3://${Bucket}/p.bin`, loaded: 12 * MiB, total: 12 * MiB });
    const down: number[] = [];
    await downloadFile(server.client, Bucket, "p.bin", path.join(work, "p.bin"), { ...small, progress: (p) => down.push(p.loaded) });
    assert.equal(down[down.length - 1], 12 * MiB);
    assert.ok(down.every((loaded, i) => i === 0 || loaded >= down[i - 1]));
    rmSync(path.join(work, "p.bin"));
  });
});

describe("failures leave nothing behind", () => {
  test("a missing file or key gives one sentence and writes nothing", async () => {
    const Bucket = await bucket();
    await assert.rejects(uploadFile(server.client, path.join(work, "nope.bin"), Bucket, "k"), /^S3KitError: The file .*nope\.bin does not exist or cannot be read: check the path\.$/);
    const target = path.join(work, "missing.bin");
    await assert.rejects(downloadFile(server.client, Bucket, "missing.bin", target), {
      message: `s3://${Bucket}/missing.bin does not exist: check the key, or list the bucket to see what is there.`,
    });
    assert.equal(existsSync(target), false);
    await assert.rejects(downloadFile(server.client, Bucket, "missing.bin", path.join(work, "no-such-folder", "x")), /^S3KitError: Cannot download s3:\/\/\S+\/missing\.bin to .*no-such-folder\/x: the folder .*no-such-folder does not exist; create it first\.$/);
  });

  for (const [name, size] of [["one GET", MiB], ["ranged GETs", 12 * MiB]] as const) {
    test(`bytes that differ from the ETag's MD5 (${name}) fail the download and leave no file`, async (t) => {
      // The stored copy is corrupted on disk, which only s3rver's one-file-per-object layout allows.
      if (testEngine() !== "s3rver") return t.skip("corrupts s3rver's object file; Ceph keeps objects in BlueStore");
      const Bucket = await bucket();
      const bytes = randomBytes(size);
      await server.client.send(new PutObjectCommand({ Bucket, Key: "rotten.bin", Body: bytes }));
      // Flip one byte of the stored copy, past the first range: same size, same ETag, other content.
      const stored = findFile(path.join(server.server.dataDir, Bucket), (f) => f.startsWith("rotten.bin") && f.endsWith("_S3rver_object"));
      const onDisk = readFileSync(stored);
      onDisk[size - 10] ^= 0xff;
      writeFileSync(stored, onDisk);
      const folder = path.join(work, `rotten-${size}`);
      mkdirSync(folder);
      await assert.rejects(downloadFile(server.client, Bucket, "rotten.bin", path.join(folder, "rotten.bin"), small), (error: unknown) => {
        assert.equal((error as { code?: string }).code, "Integrity");
        assert.match(String(error), /arrived with different content than S3 holds \(MD5 mismatch\)/);
        return true;
      });
      assert.deepEqual(readdirSync(folder), []);
    });
  }

  /** Runs `work` with a middleware on the shared client that may change each GetObject's input before it is sent. */
  async function withGetObjectsChanged<T>(change: (input: { Range?: string; IfMatch?: string }, nth: number) => Promise<void> | void, work: () => Promise<T>): Promise<T> {
    const name = `s3kitTestGetObject-${Math.random()}`;
    let nth = 0;
    server.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetObjectCommand") await change(args.input as { Range?: string }, ++nth);
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      return await work();
    } finally {
      server.client.middlewareStack.remove(name);
    }
  }

  test("ranges that land out of order still give the file whose MD5 the ETag names, and still catch a changed byte", async () => {
    const Bucket = await bucket();
    const bytes = randomBytes(12 * MiB);
    // A single PUT: the ETag is the object's MD5 on every engine, so the download checks it.
    await server.client.send(new PutObjectCommand({ Bucket, Key: "late-first.bin", Body: bytes }));
    const folder = tempDir("s3kit-late-first-");
    // The first range is asked for last: the later ones land first and are hashed from the file once it has.
    const firstLate = async (_: unknown, nth: number) => {
      if (nth === 1) await new Promise((resolve) => setTimeout(resolve, 500));
    };
    const target = path.join(folder, "late-first.bin");
    await withGetObjectsChanged(firstLate, () => downloadFile(server.client, Bucket, "late-first.bin", target, small));
    assert.equal(await sha256File(target), sha256(bytes));
    if (testEngine() !== "s3rver") return;
    // Same order, one byte of the stored copy flipped in the last range (which lands first).
    const stored = findFile(path.join(server.server.dataDir, Bucket), (f) => f.startsWith("late-first.bin") && f.endsWith("_S3rver_object"));
    const onDisk = readFileSync(stored);
    onDisk[12 * MiB - 10] ^= 0xff;
    writeFileSync(stored, onDisk);
    rmSync(target);
    await assert.rejects(withGetObjectsChanged(firstLate, () => downloadFile(server.client, Bucket, "late-first.bin", target, small)), {
      message: `s3://${Bucket}/late-first.bin arrived with different content than S3 holds (MD5 mismatch): download it again.`,
    });
    assert.deepEqual(readdirSync(folder), []);
  });

  test("an object replaced mid-download fails the next range (If-Match) and leaves no file", async () => {
    const Bucket = await bucket();
    await server.client.send(new PutObjectCommand({ Bucket, Key: "moving.bin", Body: randomBytes(12 * MiB) }));
    const folder = tempDir("s3kit-moving-");
    // Before the second range is asked for, another writer replaces the object: same size, other bytes.
    const replace = async (_: unknown, nth: number) => {
      if (nth === 2) await server.client.send(new PutObjectCommand({ Bucket, Key: "moving.bin", Body: randomBytes(12 * MiB) }));
    };
    const error = await withGetObjectsChanged(replace, () =>
      downloadFile(server.client, Bucket, "moving.bin", path.join(folder, "moving.bin"), { ...small, concurrency: 1 }).then(() => assert.fail("should have failed"), (e: unknown) => e),
    );
    assert.ok(error instanceof S3KitError, String(error));
    assert.deepEqual(readdirSync(folder), [], "no file, not even a temporary one");
    if (testEngine() === "ceph") {
      assert.equal(error.code, "PreconditionFailed", error.message);
      observe("ranged GETs with If-Match: an object replaced mid-download fails the download");
    } else {
      // s3rver ignores If-Match: the replaced bytes land, and the MD5 check refuses the file.
      assert.equal(error.message, `s3://${Bucket}/moving.bin arrived with different content than S3 holds (MD5 mismatch): download it again.`);
      observe("ranged GETs with If-Match: an object replaced mid-download fails the download", "✗ If-Match ignored (the MD5 check fails it)");
    }
  });

  for (const [name, size] of [["one GET", MiB], ["ranged GETs", 12 * MiB]] as const) {
    test(`fewer bytes than asked for (${name}) fail the download with one sentence and leave no file`, async () => {
      const Bucket = await bucket();
      await server.client.send(new PutObjectCommand({ Bucket, Key: "short.bin", Body: randomBytes(size) }));
      const folder = tempDir("s3kit-short-");
      // The server really answers a shorter range than the download asked for (bytes 0-99 of the first).
      const shorten = (input: { Range?: string }, nth: number) => {
        if (nth === 1) input.Range = "bytes=0-99";
      };
      const error = await withGetObjectsChanged(shorten, () =>
        downloadFile(server.client, Bucket, "short.bin", path.join(folder, "short.bin"), { ...small, concurrency: 1 }).then(() => assert.fail("should have failed"), (e: unknown) => e),
      );
      assert.ok(error instanceof S3KitError, String(error));
      assert.equal(error.code, "Integrity");
      const expected = size < small.multipartThreshold ? size : small.partSize;
      assert.equal(error.message, `s3://${Bucket}/short.bin sent 100 bytes at offset 0 where ${expected} were expected: download it again.`);
      assert.deepEqual(readdirSync(folder), []);
    });
  }

  test("impossible settings are refused before anything is sent", async () => {
    const Bucket = await bucket();
    await assert.rejects(uploadData(server.client, "x", Bucket, "k", { partSize: MiB }), { message: "partSize is 1048576 bytes: S3 needs parts of at least 5 MiB (5242880 bytes)." });
    await assert.rejects(downloadFile(server.client, Bucket, "k", path.join(work, "k"), { concurrency: 0 }), { message: "concurrency is 0: give a whole number of parts in flight, 1 or more." });
    assert.equal(await exists(server.client, Bucket, "k"), false);
  });

  /** 40 MiB to upload: a Buffer through the SDK's Upload, or a file through the kit's own multipart upload. */
  const uploaders = {
    uploadData: (Bucket: string, Key: string, options: UploadOptions) => uploadData(server.client, randomBytes(40 * MiB), Bucket, Key, options),
    uploadFile: (Bucket: string, Key: string, options: UploadOptions) => uploadFile(server.client, writeRandomFile(path.join(work, `${Key}-${Bucket}`), 40 * MiB), Bucket, Key, options),
  };
  for (const [via, upload] of Object.entries(uploaders)) {
    test(`cancelling a multipart upload aborts it: no parts listed, no object (${via})`, async () => {
      const Bucket = await bucket();
      const controller = new AbortController();
      const uploading = upload(Bucket, "cancelled.bin", {
        ...small,
        concurrency: 2,
        signal: controller.signal,
        progress: ({ loaded }) => loaded > 0 && controller.abort(),
      });
      const error = await uploading.then(() => assert.fail("should have been cancelled"), (e: unknown) => e);
      assert.ok(error instanceof S3KitError);
      assert.equal(error.code, "Aborted");
      assert.equal(error.message, `The upload to s3://${Bucket}/cancelled.bin was cancelled; its incomplete multipart upload was aborted, so no parts are left on the server.`);
      assert.deepEqual(await openUploads(server.client, Bucket), []);
      assert.equal(await exists(server.client, Bucket, "cancelled.bin"), false);
    });

    test(`a failing part aborts the whole upload at once (${via})`, async () => {
      const Bucket = await bucket();
      // Part 3's connection drops (s3rver checks no Content-MD5, and an unknown upload id kills s3rver 3.7).
      const name = "s3kitTestDroppedPart";
      let failedAt = -1;
      server.client.middlewareStack.add(
        (next) => (args) => {
          if ((args.input as { PartNumber?: number }).PartNumber !== 3) return next(args);
          failedAt = watch.count("UploadPart");
          return Promise.reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
        },
        { step: "initialize", name },
      );
      const watch = watchCommands(server.client);
      let error: unknown;
      try {
        error = await upload(Bucket, "doomed.bin", { ...small, concurrency: 2 }).then(
          () => assert.fail("should have failed"),
          (e: unknown) => e,
        );
      } finally {
        watch.stop();
        server.client.middlewareStack.remove(name);
      }
      assert.ok(error instanceof S3KitError, String(error));
      assert.equal(
        error.message,
        `Cannot reach the S3 endpoint ${server.endpoint} (the connection was reset): start the kit's local server with \`npm start\` (or call connect() again, which starts it); its incomplete multipart upload was aborted, so no parts are left on the server.`,
      );
      assert.equal(watch.count("AbortMultipartUpload"), 1, "one abort, sent by the kit");
      assert.equal(watch.count("CompleteMultipartUpload"), 0);
      // At once: the parts already in flight settle, no new one starts (8 parts of 5 MiB in all).
      assert.ok(failedAt > 0 && watch.count("UploadPart") <= failedAt + 2, `${watch.count("UploadPart")} parts sent, the failed one was number ${failedAt}`);
      assert.deepEqual(await openUploads(server.client, Bucket), [], "no multipart upload left open");
      assert.equal(await exists(server.client, Bucket, "doomed.bin"), false, "no object");
    });
  }
});

describe("copy", () => {
  test("copies between buckets keeping bytes, content type and metadata", async () => {
    const [from, to] = [await bucket(), await bucket()];
    const bytes = randomBytes(MiB);
    await uploadData(server.client, bytes, from, "dir/a b.csv", { metadata: { owner: "ada" } });
    await copyObject(server.client, { Bucket: from, Key: "dir/a b.csv" }, { Bucket: to, Key: "copy.csv" });
    const head = await server.client.send(new HeadObjectCommand({ Bucket: to, Key: "copy.csv" }));
    assert.equal(head.ContentType, "text/csv; charset=utf-8");
    assert.deepEqual(head.Metadata, { owner: "ada" });
    assert.equal(sha256(await getBytes(server.client, to, "copy.csv")), sha256(bytes));
    await assert.rejects(copyObject(server.client, { Bucket: from, Key: "nope" }, { Bucket: to, Key: "x" }), {
      message: `s3://${from}/nope does not exist: check the key, or list the bucket to see what is there.`,
    });
    observe("CopyObject between buckets, metadata kept");
  });

  test("above the threshold: UploadPartCopy parts in parallel (one CopyObject where the server lacks it), bytes, metadata, tags and the real ETag kept", async () => {
    const [from, to] = [await bucket(), await bucket()];
    const source = writeRandomFile(path.join(work, "copy-source.bin"), 23 * MiB + 17);
    await uploadFile(server.client, source, from, "big.csv", { ...small, metadata: { owner: "ada" }, tags: { stage: "raw data" } });
    const watch = watchCommands(server.client);
    let result;
    try {
      result = await copyObject(server.client, { Bucket: from, Key: "big.csv" }, { Bucket: to, Key: "copy.csv" }, small);
    } finally {
      watch.stop();
    }
    const head = await server.client.send(new HeadObjectCommand({ Bucket: to, Key: "copy.csv" }));
    assert.equal(sha256(await getBytes(server.client, to, "copy.csv")), await sha256File(source));
    assert.equal(head.ContentType, "text/csv; charset=utf-8");
    assert.deepEqual(head.Metadata, { owner: "ada" });
    assert.equal(result.etag, head.ETag);
    assert.deepEqual(await openUploads(server.client, to), []);
    if (await supportsUploadPartCopy(from)) {
      assert.equal(watch.count("UploadPartCopy"), 5, "23 MiB in 5 MiB parts");
      assert.ok(watch.maxInFlight("UploadPartCopy") > 1, "parts go in parallel");
      assert.match(head.ETag ?? "", /^"[0-9a-f]{32}-5"$/);
      const { TagSet } = await server.client.send(new GetObjectTaggingCommand({ Bucket: to, Key: "copy.csv" }));
      assert.deepEqual(TagSet, [{ Key: "stage", Value: "raw data" }]);
    } else {
      assert.equal(watch.count("CopyObject"), 1, "the fallback is one CopyObject");
    }
  });

  test("a part that fails aborts the multipart copy: one sentence, no parts and no object left", async (t) => {
    const [from, to] = [await bucket(), await bucket()];
    await uploadData(server.client, randomBytes(12 * MiB), from, "big.bin", small);
    if (!(await supportsUploadPartCopy(from))) return t.skip("this server has no UploadPartCopy (the kit's s3rver fallback copies with CopyObject)");
    // The server refuses part 2 for real: its range starts past the end of the source.
    const name = "s3kitTestBadRange";
    server.client.middlewareStack.add(
      (next) => (args) => {
        const input = args.input as { PartNumber?: number; CopySourceRange?: string };
        if (input.PartNumber === 2 && input.CopySourceRange) input.CopySourceRange = `bytes=${100 * MiB}-${101 * MiB}`;
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      const error = await copyObject(server.client, { Bucket: from, Key: "big.bin" }, { Bucket: to, Key: "copy.bin" }, small).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof S3KitError);
      assert.match(error.message, new RegExp(`s3://${to}/copy.bin.*; its incomplete multipart upload was aborted, so no parts are left on the server\\.$`));
    } finally {
      server.client.middlewareStack.remove(name);
    }
    assert.deepEqual(await openUploads(server.client, to), []);
    assert.equal(await exists(server.client, to, "copy.bin"), false);
  });
});

describe("copy cancellation", () => {
  test("cancelling a multipart copy aborts it: one sentence, no parts and no object left", async () => {
    const [from, to] = [await bucket(), await bucket()];
    await uploadData(server.client, randomBytes(12 * MiB), from, "big.bin", small);
    const controller = new AbortController();
    const name = "s3kitTestCancelAtFirstPart";
    server.client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === "UploadPartCopyCommand") controller.abort();
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      const error = await copyObject(server.client, { Bucket: from, Key: "big.bin" }, { Bucket: to, Key: "copy.bin" }, { ...small, signal: controller.signal }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof S3KitError);
      assert.equal(error.code, "Aborted");
      assert.equal(error.message, `The copy to s3://${to}/copy.bin was cancelled; its incomplete multipart upload was aborted, so no parts are left on the server.`);
    } finally {
      server.client.middlewareStack.remove(name);
    }
    assert.deepEqual(await openUploads(server.client, to), []);
    assert.equal(await exists(server.client, to, "copy.bin"), false);
  });
});

/** Counts the commands a client sends, and how many of each were in flight at once. */
function watchCommands(client: S3Client) {
  const sent = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const name = `s3kitTestWatch-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName!.replace(/Command$/, "");
      sent.set(command, (sent.get(command) ?? 0) + 1);
      inFlight.set(command, (inFlight.get(command) ?? 0) + 1);
      peak.set(command, Math.max(peak.get(command) ?? 0, inFlight.get(command)!));
      try {
        return await next(args);
      } finally {
        inFlight.set(command, inFlight.get(command)! - 1);
      }
    },
    { step: "initialize", name },
  );
  return {
    count: (command: string) => sent.get(command) ?? 0,
    maxInFlight: (command: string) => peak.get(command) ?? 0,
    stop: () => client.middlewareStack.remove(name),
  };
}

/** Whether the server implements UploadPartCopy (s3rver answers NotImplemented): one probe upload, aborted. */
async function supportsUploadPartCopy(Bucket: string): Promise<boolean> {
  const Key = "upload-part-copy-probe";
  await server.client.send(new PutObjectCommand({ Bucket, Key, Body: "probe" }));
  const { UploadId } = await server.client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  try {
    await server.client.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource: `${Bucket}/${Key}` }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501) return false;
    throw error;
  } finally {
    await server.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    await server.client.send(new DeleteObjectCommand({ Bucket, Key }));
  }
}

describe("folders", () => {
  test("a directory goes to a prefix and comes back identical", async () => {
    const Bucket = await bucket();
    const dir = path.join(work, "tree");
    mkdirSync(path.join(dir, "sub", "deeper"), { recursive: true });
    const files: Record<string, Buffer> = { "a.txt": Buffer.from("a"), "sub/b.csv": randomBytes(1000), "sub/deeper/c.bin": randomBytes(6 * MiB), "empty": Buffer.alloc(0) };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
    const keys = await uploadDirectory(server.client, dir, Bucket, "backup", small);
    assert.deepEqual(keys, ["backup/a.txt", "backup/empty", "backup/sub/b.csv", "backup/sub/deeper/c.bin"]);
    const back = path.join(work, "tree-back");
    const written = await downloadPrefix(server.client, Bucket, "backup", back, small);
    assert.deepEqual(written, ["a.txt", "empty", "sub/b.csv", "sub/deeper/c.bin"]);
    for (const [name, bytes] of Object.entries(files)) assert.equal(await sha256File(path.join(back, name)), sha256(bytes), name);
    rmSync(dir, { recursive: true });
    rmSync(back, { recursive: true });
  });

  test("keys that would land outside the target folder are refused before anything is written", async (t) => {
    // The kit's s3rver refuses to store such keys at all (server-safety.test.ts); a real S3 stores them.
    const Bucket = await bucket();
    const refused = await server.client.send(new PutObjectCommand({ Bucket, Key: "p/..", Body: "evil" })).then(() => false, (e: { name?: string }) => e.name === "UnsupportedKey");
    if (refused) return t.skip("this server (the kit's s3rver) refuses to store keys with .. segments");
    for (const evil of ["p/..", "p/../../escaped.txt"]) {
      const Bucket = await bucket();
      await server.client.send(new PutObjectCommand({ Bucket, Key: "p/fine.txt", Body: "fine" }));
      await server.client.send(new PutObjectCommand({ Bucket, Key: evil, Body: "evil" }));
      const target = path.join(work, "target");
      const error = await downloadPrefix(server.client, Bucket, "p", target).then(() => assert.fail(`${evil} accepted`), (e: unknown) => e);
      assert.ok(error instanceof S3KitError);
      assert.equal(error.message, `The key "${evil}" in s3://${Bucket} would be written outside ${target}: nothing was downloaded; remove or rename that key.`);
      assert.equal(existsSync(target), false);
      assert.equal(existsSync(path.join(work, "escaped.txt")), false);
    }
  });
});

test("the path rule refuses ../ and absolute paths, and accepts names with dots", () => {
  const root = path.join(work, "root");
  assert.equal(localPathForKey(root, "a/b..c/d", "bkt", "k"), path.join(root, "a", "b..c", "d"));
  assert.equal(localPathForKey(root, "a/../b", "bkt", "k"), path.join(root, "b"));
  for (const evil of ["../x", "a/../../x", "/etc/passwd", ".."]) {
    assert.throws(() => localPathForKey(root, evil, "bkt", `p/${evil}`), { message: `The key "p/${evil}" in s3://bkt would be written outside ${root}: nothing was downloaded; remove or rename that key.` });
  }
});

describe("1 GiB", () => {
  const big = path.join(work, "big.bin");
  let bigHash = "";
  let Bucket = "";
  before(async () => {
    writeRandomFile(big, 1024 * MiB);
    bigHash = await sha256File(big);
    Bucket = await bucket();
  });
  // 1 GiB (and a server's data) gone as soon as these tests end, not with the file's process.
  after(() => rmSync(big, { force: true }));

  test("round trip: upload, download, same hash", async () => {
    await uploadFile(server.client, big, Bucket, "big.bin");
    const back = path.join(work, "big-back.bin");
    await downloadFile(server.client, Bucket, "big.bin", back);
    assert.equal(await sha256File(back), bigHash);
    rmSync(back);
  });

  test("an aborted download leaves no file, not even a temporary one", async () => {
    const folder = path.join(work, "aborted-download");
    mkdirSync(folder);
    const controller = new AbortController();
    const error = await downloadFile(server.client, Bucket, "big.bin", path.join(folder, "big.bin"), {
      signal: controller.signal,
      progress: ({ loaded }) => loaded > 100 * MiB && controller.abort(),
    }).then(() => assert.fail("should have been cancelled"), (e: unknown) => e);
    assert.ok(error instanceof S3KitError);
    assert.equal(error.code, "Aborted");
    assert.equal(error.message, `The download of s3://${Bucket}/big.bin was cancelled; no file was written to big.bin.`);
    assert.deepEqual(readdirSync(folder), []);
  });

  test("stopping the server mid-upload: a clear error, and after a restart no parts and no key", async () => {
    const { startLocalServer, createClient, abortIncompleteUploads } = await import("s3kit");
    const dataDir = path.join(work, "stopped-server-data");
    const first = await startLocalServer({ dataDir, port: 0 });
    const client = createClient({ kind: "local", endpoint: first.endpoint, region: "us-east-1" }, first.credentials);
    const Bucket = uniqueBucket("stop");
    await client.send(new CreateBucketCommand({ Bucket }));
    let stopping: Promise<void> | undefined;
    const started = Date.now();
    const error = await uploadFile(client, big, Bucket, "big.bin", {
      progress: ({ loaded }) => void (loaded > 200 * MiB && (stopping ??= first.stop())),
    }).then(() => assert.fail("the upload should have failed"), (e: unknown) => e);
    const failedAfter = Date.now() - started;
    await stopping;
    assert.ok(error instanceof S3KitError);
    assert.equal(error.code, "Unreachable");
    assert.match(
      error.message,
      new RegExp(
        `^Cannot reach the S3 endpoint ${first.endpoint} \\((connection refused|the connection was reset|the connection was closed)\\): start the kit's local server .*; ` +
          `its incomplete multipart upload could not be aborted, so its parts stay on the server: once it answers again, run abortIncompleteUploads\\(client, "${Bucket}"\\) \\(the kit's local server removes them itself when it starts again\\)\\.$`,
      ),
    );
    client.destroy();

    // No client can abort on a server that is down; the local server discards the parts as it starts
    // again (on a port of its own: the old one may have been taken meanwhile).
    const second = await startLocalServer({ dataDir, port: 0 });
    const again = createClient({ kind: "local", endpoint: second.endpoint, region: "us-east-1" }, second.credentials);
    try {
      assert.deepEqual(second.discardedUploads, [`${Bucket}/big.bin`]);
      assert.deepEqual(await openUploads(again, Bucket), []);
      assert.deepEqual(await abortIncompleteUploads(again, Bucket), []);
      assert.equal(await exists(again, Bucket, "big.bin"), false);
      console.log(`# upload failed ${failedAfter} ms after start (server stopped at 200 MiB)`);
    } finally {
      again.destroy();
      await second.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    observe("a server stopped mid-upload: its parts removed at the next start");
  });
});

/** The first file under `folder` whose name passes `matches`. */
function findFile(folder: string, matches: (name: string) => boolean): string {
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && matches(entry.name)) return path.join(entry.parentPath ?? entry.path, entry.name);
  }
  throw new Error(`no matching file under ${folder}`);
}
