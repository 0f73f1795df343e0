/**
 * s3rver's FilesystemStore with two guarantees it lacks, used by the kit's s3rver process:
 *
 * - No key leaves its bucket: every operation that takes a key (PUT, GET, HEAD, DELETE, copy
 *   source and destination, multipart) goes through `getResourcePath`, which refuses the keys of
 *   `key-guard.ts` with a 400 `UnsupportedKey` error instead of mapping them to a wrong file.
 * - A write replaces an object atomically: s3rver writes the object's bytes, its MD5 (the ETag)
 *   and its metadata straight over the old files, so a kill mid-PUT leaves new bytes under the old
 *   ETag. Here the three files are written aside in a staging folder, then a `targets` file is
 *   renamed into place (the commit point), then the files are renamed over the old ones. A
 *   write killed before its commit is dropped; one killed after it is finished by
 *   `finishStagedWrites` when the server starts again. Either way the key holds the old object or
 *   the new one. (Renames survive a killed process; surviving a power cut would also need fsync.)
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, promises as fs, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import FilesystemStore from "s3rver/lib/stores/filesystem";
import S3Error from "s3rver/lib/models/error";
import S3rverObject from "s3rver/lib/models/object";
import { isUnsafeBucketName, S3RVER_MARK, unstorableKeyReason, unsupportedKeyMessage } from "./key-guard";

/** Per bucket, beside s3rver's own `._S3rver_uploads`; no key can reach it (key-guard refuses the mark). */
const STAGING_FOLDER = `${S3RVER_MARK}staging`;
/** The files of one object, by s3rver's resource names. */
type ObjectFile = "object" | "object.md5" | "metadata.json";

/** The 400 the kit's explain() turns into one sentence; `Key` names the refused key. */
function unsupportedKey(key: string, reason: string): Error {
  const error = new S3Error("UnsupportedKey", unsupportedKeyMessage(key, reason), { Key: key });
  return Object.assign(error, { status: 400, expose: true });
}

export class SafeFilesystemStore extends FilesystemStore {
  override getBucketPath(bucket: string): string {
    if (isUnsafeBucketName(bucket)) throw new S3Error("InvalidBucketName", "The specified bucket is not valid.", { BucketName: bucket });
    return super.getBucketPath(bucket);
  }

  override getResourcePath(bucket: string, key = "", resource?: string): string {
    // Bucket-level resources (CORS, the uploads folder) come with an empty key.
    const reason = key === "" ? undefined : unstorableKeyReason(String(key));
    if (reason) throw unsupportedKey(key, reason);
    this.getBucketPath(bucket);
    return super.getResourcePath(bucket, key, resource);
  }

  /** Refuses the key at CreateMultipartUpload, before any part is sent, not at Complete. */
  override async initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void> {
    this.getResourcePath(bucket, key, "object");
    await super.initiateUpload(bucket, key, uploadId, metadata);
  }

  /** PutObject, and CompleteMultipartUpload (s3rver joins the parts through putObject). */
  override async putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, string> }): Promise<{ size: number; md5: string }> {
    this.getResourcePath(object.bucket, object.key, "object");
    return this.stagedWrite(object.bucket, object.key, async (staging) => {
      const written = await writeHashed(object.content, path.join(staging, "object"));
      await fs.writeFile(path.join(staging, "object.md5"), written.md5);
      await fs.writeFile(path.join(staging, "metadata.json"), storedMetadata(object.metadata));
      return written;
    });
  }

  /** CopyObject: the copy (or, onto itself, the new metadata) is staged like a PUT. */
  override async copyObject(srcBucket: string, srcKey: string, destBucket: string, destKey: string, replacementMetadata: Record<string, string> | null): Promise<Record<string, unknown>> {
    const source = this.getResourcePath(srcBucket, srcKey, "object");
    const sameObject = source === this.getResourcePath(destBucket, destKey, "object");
    await this.stagedWrite(destBucket, destKey, async (staging) => {
      if (!sameObject) {
        await fs.copyFile(source, path.join(staging, "object"));
        const md5 = await fs.readFile(`${source}.md5`, "utf8").catch(() => hashFile(path.join(staging, "object")));
        await fs.writeFile(path.join(staging, "object.md5"), md5);
      }
      const metadata = replacementMetadata
        ? storedMetadata(replacementMetadata)
        : await fs.readFile(this.getResourcePath(srcBucket, srcKey, "metadata.json"), "utf8").catch(() => storedMetadata({}));
      await fs.writeFile(path.join(staging, "metadata.json"), metadata);
    });
    return this.getMetadata(destBucket, destKey);
  }

  /** Runs `write` into a fresh staging folder, then commits what it wrote onto the key's files. */
  private async stagedWrite<T>(bucket: string, key: string, write: (staging: string) => Promise<T>): Promise<T> {
    const bucketPath = this.getBucketPath(bucket);
    const staging = path.join(bucketPath, STAGING_FOLDER, randomUUID());
    await fs.mkdir(staging, { recursive: true });
    try {
      const result = await write(staging);
      const targets: Partial<Record<ObjectFile, string>> = {};
      for (const file of ["metadata.json", "object.md5", "object"] as const) {
        if (existsSync(path.join(staging, file))) targets[file] = path.relative(bucketPath, this.getResourcePath(bucket, key, file));
      }
      await fs.mkdir(path.dirname(this.getResourcePath(bucket, key, "object")), { recursive: true });
      await fs.writeFile(path.join(staging, "targets.partial"), JSON.stringify(targets));
      await fs.rename(path.join(staging, "targets.partial"), path.join(staging, "targets"));
      finishStagedWrite(bucketPath, staging);
      return result;
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
}

/** The metadata s3rver keeps for an object (its own putMetadata's choice of headers). */
function storedMetadata(headers: Record<string, string>): string {
  const kept = Object.entries(headers).filter(([name]) => S3rverObject.ALLOWED_METADATA.includes(name) || name.startsWith("x-amz-meta-"));
  return JSON.stringify(Object.fromEntries(kept), null, 2);
}

async function writeHashed(content: Buffer | Readable, file: string): Promise<{ size: number; md5: string }> {
  const md5 = createHash("md5");
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  // pipeline rejects when the request stops early (client gone), so a cut-off body is never committed.
  await pipeline(Buffer.isBuffer(content) ? [content] : content, hashing, createWriteStream(file));
  return { size, md5: md5.digest("hex") };
}

async function hashFile(file: string): Promise<string> {
  const md5 = createHash("md5");
  for await (const chunk of createReadStream(file)) md5.update(chunk as Buffer);
  return md5.digest("hex");
}

/** Renames a committed write's files over the key's (those still in staging), then drops the staging folder. */
function finishStagedWrite(bucketPath: string, staging: string): void {
  const targets = JSON.parse(readFileSync(path.join(staging, "targets"), "utf8")) as Partial<Record<ObjectFile, string>>;
  for (const [file, target] of Object.entries(targets)) {
    if (!existsSync(path.join(staging, file))) continue;
    mkdirSync(path.dirname(path.join(bucketPath, target)), { recursive: true });
    renameSync(path.join(staging, file), path.join(bucketPath, target));
  }
  rmSync(staging, { recursive: true, force: true });
}

/**
 * At start-up: finishes the writes a killed server had committed and drops those it had not.
 * Returns how many of each, as `bucket/…` counts for the start-up report.
 */
export function finishStagedWrites(directory: string): { finished: number; dropped: number } {
  const counts = { finished: 0, dropped: 0 };
  for (const bucket of existsSync(directory) ? readdirSync(directory) : []) {
    const bucketPath = path.join(directory, bucket);
    const stagingRoot = path.join(bucketPath, STAGING_FOLDER);
    if (!existsSync(stagingRoot)) continue;
    for (const write of readdirSync(stagingRoot)) {
      const staging = path.join(stagingRoot, write);
      if (existsSync(path.join(staging, "targets"))) {
        finishStagedWrite(bucketPath, staging);
        counts.finished++;
      } else {
        rmSync(staging, { recursive: true, force: true });
        counts.dropped++;
      }
    }
  }
  return counts;
}
