/**
 * Folders: a local directory to a key prefix and back, a few files at a time, each file with one
 * part in flight so that memory stays near concurrency × partSize whatever the folder holds.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { explain, S3KitError, s3Url } from "../errors";
import { linkedController, withDefaults, type TransferOptions } from "./config";
import { downloadFile, inParallel } from "./download";
import { progressCounter, type TransferProgress } from "./progress";
import { uploadFile, type UploadOptions } from "./upload";

/** Uploads every file under `dir` to `prefix` + its relative path (the AWS CLI's `aws s3 cp --recursive`). Returns the keys, sorted. */
export async function uploadDirectory(client: S3Client, dir: string, bucket: string, prefix: string, options: UploadOptions = {}): Promise<string[]> {
  const root = path.resolve(dir);
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => {
    throw new S3KitError(`The folder ${dir} does not exist or cannot be read: check the path.`, "LocalFile");
  });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
  const sizes = await Promise.all(files.map(async (file) => (await fs.stat(file)).size));
  const base = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  const jobs = files.map((file, i) => ({ file, size: sizes[i], key: base + path.relative(root, file).split(path.sep).join("/") }));
  const total = progressCounter(options.progress, `${dir} → ${s3Url(bucket, base)}`, sizes.reduce((a, b) => a + b, 0));
  const { controller, release } = linkedController(options.signal);
  await inParallel(
    jobs,
    withDefaults(options).concurrency,
    ({ file, key }) => uploadFile(client, file, bucket, key, { ...options, concurrency: 1, signal: controller.signal, progress: addDeltas(total.add) }),
    () => controller.abort(),
  ).finally(release);
  total.finish();
  return jobs.map((job) => job.key).sort();
}

/** Downloads every object under `prefix` into `dir`, keeping the key's folders (`aws s3 cp --recursive` from S3). Returns the local paths relative to `dir`, sorted. */
export async function downloadPrefix(client: S3Client, bucket: string, prefix: string, dir: string, options: TransferOptions = {}): Promise<string[]> {
  const root = path.resolve(dir);
  const objects: { key: string; size: number; file: string }[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      for (const { Key, Size } of page.Contents ?? []) {
        const rest = Key!.slice(prefix.length);
        // Prefix "data" holds "data/a.csv": drop that one separator, but keep "data//etc/x" absolute so it is refused.
        const relative = prefix === "" || prefix.endsWith("/") ? rest : rest.replace(/^\//, "");
        // A key ending in "/" is a console-made "folder" marker with no content of its own.
        if (relative === "" || Key!.endsWith("/")) continue;
        objects.push({ key: Key!, size: Size ?? 0, file: localPathForKey(root, relative, bucket, Key!) });
      }
    }
  } catch (error) {
    throw explain(error);
  }
  const total = progressCounter(options.progress, `${s3Url(bucket, prefix)} → ${dir}`, objects.reduce((sum, o) => sum + o.size, 0));
  const { controller, release } = linkedController(options.signal);
  await inParallel(
    objects,
    withDefaults(options).concurrency,
    async ({ key, file }) => {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await downloadFile(client, bucket, key, file, { ...options, concurrency: 1, signal: controller.signal, progress: addDeltas(total.add) });
    },
    () => controller.abort(),
  ).finally(release);
  total.finish();
  return objects.map((o) => path.relative(root, o.file).split(path.sep).join("/")).sort();
}

/** Where a key lands under `root`; a key that would land outside it (`../`, an absolute path) is refused before anything is written. */
export function localPathForKey(root: string, relative: string, bucket: string, key: string): string {
  const file = path.resolve(root, relative);
  const fromRoot = path.relative(root, file);
  if (fromRoot === "" || fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) {
    throw new S3KitError(`The key "${key}" in ${s3Url(bucket)} would be written outside ${root}: nothing was downloaded; remove or rename that key.`, "InvalidArgument");
  }
  return file;
}

/** One file's cumulative progress turned into increments of the folder's total. */
function addDeltas(add: (bytes: number) => void): (progress: TransferProgress) => void {
  let seen = 0;
  return ({ loaded }) => {
    add(loaded - seen);
    seen = loaded;
  };
}
