/**
 * Folders: a local directory to a key prefix and back, a few files at a time, each file with one
 * part in flight so that memory stays near concurrency × partSize whatever the folder holds.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { explain, S3KitError, s3Url } from "../errors";
import { linkedController, withDefaults, type TransferOptions } from "./config";
import { checkDestination, downloadFile, inParallel } from "./download";
import { progressCounter, type TransferProgress } from "./progress";
import { type UploadOptions } from "./upload";
import { uploadFile } from "./upload-file";

/** Uploads every file under `dir` to `prefix` + its relative path (the AWS CLI's `aws s3 cp --recursive`). Returns the keys, sorted. */
export async function uploadDirectory(client: S3Client, dir: string, bucket: string, prefix: string, options: UploadOptions = {}): Promise<string[]> {
  const root = path.resolve(dir);
  if (!(await fs.stat(root).catch(() => undefined))?.isDirectory()) {
    throw new S3KitError(`The folder ${dir} does not exist or cannot be read: check the path.`, "LocalFile");
  }
  const files = await filesUnder(root);
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

/**
 * Every file under `root`, following symbolic links to files and folders as `aws s3 cp
 * --recursive` does. Paths are as seen through the links (they become the keys). A link to a
 * folder it is already inside (a loop), a broken link or an unreadable folder is refused, named.
 */
async function filesUnder(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string, ancestors: string[]) => {
    const entries = await fs.readdir(folder).catch((error: NodeJS.ErrnoException) => {
      throw new S3KitError(`The folder ${folder} cannot be read (${error.code}): check its permissions; nothing was uploaded.`, "LocalFile");
    });
    for (const name of entries.sort()) {
      const entry = path.join(folder, name);
      const stat = await fs.stat(entry).catch(() => undefined);
      if (!stat) throw new S3KitError(`${entry} is a broken symbolic link: remove it or point it at a file; nothing was uploaded.`, "LocalFile");
      if (stat.isFile()) files.push(entry);
      if (!stat.isDirectory()) continue;
      const real = await fs.realpath(entry);
      if (ancestors.includes(real)) {
        throw new S3KitError(`${entry} links back to ${real}, a folder it is inside (a symbolic link loop): remove the link; nothing was uploaded.`, "LocalFile");
      }
      await walk(entry, [...ancestors, real]);
    }
  };
  await walk(root, [await fs.realpath(root)]);
  return files;
}

/** Downloads every object under `prefix` into `dir`, keeping the key's folders (`aws s3 cp --recursive` from S3). Returns the local paths relative to `dir`, sorted. */
export async function downloadPrefix(client: S3Client, bucket: string, prefix: string, dir: string, options: TransferOptions = {}): Promise<string[]> {
  const root = path.resolve(dir);
  const listed: { key: string; size: number }[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      for (const { Key, Size } of page.Contents ?? []) listed.push({ key: Key!, size: Size ?? 0 });
    }
  } catch (error) {
    throw explain(error);
  }
  const objects = planDownloads(listed, prefix, root, bucket);
  await Promise.all(objects.map(({ file, key }) => checkDestination(file, s3Url(bucket, key), { createsFolders: true })));
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
  // "..hidden" is a name like any other; only a ".." segment climbs out.
  if (fromRoot === "" || fromRoot === ".." || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) {
    throw new S3KitError(`The key "${key}" in ${s3Url(bucket)} would be written outside ${root}: nothing was downloaded; remove or rename that key.`, "InvalidArgument");
  }
  return file;
}

/**
 * Where each listed key goes under `root`, before anything is written: the key without the
 * prefix, folder markers (keys ending in "/") skipped; a key that would land outside `root`, or
 * on the same file as another key, is refused.
 */
export function planDownloads(listed: { key: string; size: number }[], prefix: string, root: string, bucket: string) {
  const objects: { key: string; size: number; file: string }[] = [];
  for (const { key, size } of listed) {
    const rest = key.slice(prefix.length);
    // Prefix "data" holds "data/a.csv": drop that one separator, but keep "data//etc/x" absolute so it is refused.
    const relative = prefix === "" || prefix.endsWith("/") ? rest : rest.replace(/^\//, "");
    // A key ending in "/" is a console-made "folder" marker with no content of its own.
    if (relative === "" || key.endsWith("/")) continue;
    objects.push({ key, size, file: localPathForKey(root, relative, bucket, key) });
  }
  refuseCollisions(objects, root, bucket);
  return objects;
}

/**
 * Keys that are distinct on S3 can name one local path (`a/b.txt`, `a//b.txt`, `a/./b.txt`), or
 * one key's file can be another key's folder (`a` and `a/b.txt`): downloading both would lose one.
 * Refused before anything is written, naming both keys.
 */
function refuseCollisions(objects: { key: string; file: string }[], root: string, bucket: string): void {
  const byFile = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const { key, file } of objects) {
    for (let folder = path.dirname(file); folder.length > root.length; folder = path.dirname(folder)) folders.set(folder, key);
  }
  for (const { key, file } of objects) {
    const other = byFile.get(file) ?? folders.get(file);
    if (other !== undefined) {
      throw new S3KitError(
        `The keys "${other}" and "${key}" in ${s3Url(bucket)} would both be written to ${path.relative(root, file)}: nothing was downloaded; rename one of them, or download them one by one with downloadFile.`,
        "InvalidArgument",
      );
    }
    byFile.set(file, key);
  }
}

/** One file's cumulative progress turned into increments of the folder's total. */
function addDeltas(add: (bytes: number) => void): (progress: TransferProgress) => void {
  let seen = 0;
  return ({ loaded }) => {
    add(loaded - seen);
    seen = loaded;
  };
}
