import type { Readable, Writable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  paginateListBuckets,
  paginateListObjectsV2,
  PutObjectCommand,
  type Bucket as BucketData,
  type CreateBucketCommandInput,
  type DeleteObjectsCommandInput,
  type ListMultipartUploadsCommandInput,
  type ListObjectsV2CommandInput,
  type ListObjectVersionsCommandInput,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { DeletableCollection } from "../collections/batch";
import { ResourceCollection } from "../collections/collection";
import { paginateListMultipartUploads, paginateListObjectVersions } from "../collections/paginators";
import { explained, S3KitError, s3Url } from "../errors";
import { LoadableResource, pollUntil, succeeds, type WaitOptions } from "./base";
import { validateKey } from "../keys";
import { validateBucketName } from "./bucket-name";
import { MultipartUpload } from "./multipart";
import { ObjectSummary, S3Object } from "./object";
import { ObjectVersion } from "./object-version";
import {
  BucketAcl,
  BucketCors,
  BucketLifecycleConfiguration,
  BucketLogging,
  BucketNotification,
  BucketPolicy,
  BucketRequestPayment,
  BucketTagging,
  BucketVersioning,
  BucketWebsite,
} from "./subresources";
import {
  copyObject,
  downloadFile,
  downloadFileobj,
  downloadPrefix,
  uploadData,
  uploadDirectory,
  uploadFile,
  type DownloadResult,
  type CopyOptions,
  type StreamDownloadResult,
  type ObjectLocation,
  type TransferOptions,
  type UploadOptions,
  type UploadResult,
} from "../transfers";

/** A listing request's input without the bucket, which the collection fills in. */
type ListParams<Input> = Omit<Input, "Bucket">;

/**
 * A bucket (boto3's `s3.Bucket(name)`). Creating one sends nothing; `await bucket.load()` finds
 * it in ListBuckets (S3 has no "get bucket" call) for `creationDate` and `bucketRegion`.
 * `objects`, `objectVersions` and `multipartUploads` are lazy collections.
 */
export class Bucket extends LoadableResource<{ name: string }, BucketData> {
  protected static readonly subresources = [
    "acl", "cors", "lifecycle", "lifecycleConfiguration", "logging", "notification",
    "object", "policy", "requestPayment", "tagging", "versioning", "website",
  ];
  readonly name: string;
  /** The objects, as ObjectSummary, via ListObjectsV2 (boto3's `bucket.objects`, which sends v1 ListObjects). */
  readonly objects: DeletableCollection<ObjectSummary, ListParams<ListObjectsV2CommandInput>>;
  /** Every version and delete marker, via ListObjectVersions (boto3's `bucket.object_versions`). */
  readonly objectVersions: DeletableCollection<ObjectVersion, ListParams<ListObjectVersionsCommandInput>>;
  /** Multipart uploads started and neither completed nor aborted (boto3's `bucket.multipart_uploads`). */
  readonly multipartUploads: ResourceCollection<MultipartUpload, ListParams<ListMultipartUploadsCommandInput>>;

  constructor(client: S3Client, name: string, data?: BucketData) {
    super(client, { name }, data);
    this.name = name;
    this.objects = new DeletableCollection({
      client,
      bucketName: name,
      identify: (summary) => ({ Key: summary.key }),
      pages: async function* (params, pageSize) {
        // FetchOwner: ListObjectsV2 leaves the owner out unless asked (boto3's ListObjects v1 always has it).
        for await (const page of paginateListObjectsV2({ client, pageSize }, { FetchOwner: true, ...params, Bucket: name })) {
          yield (page.Contents ?? []).map((entry) => new ObjectSummary(client, name, entry.Key!, entry));
        }
      },
    });
    this.objectVersions = new DeletableCollection({
      client,
      bucketName: name,
      identify: (version) => ({ Key: version.objectKey, VersionId: version.id }),
      pages: async function* (params, pageSize) {
        for await (const page of paginateListObjectVersions({ client, pageSize }, { ...params, Bucket: name })) {
          const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
          yield entries.map((entry) => new ObjectVersion(client, name, entry.Key!, entry.VersionId!, entry));
        }
      },
    });
    this.multipartUploads = new ResourceCollection({
      pages: async function* (params, pageSize) {
        for await (const page of paginateListMultipartUploads({ client, pageSize }, { ...params, Bucket: name })) {
          yield (page.Uploads ?? []).map((upload) => new MultipartUpload(client, name, upload.Key!, upload.UploadId!, upload));
        }
      },
    });
  }

  protected describe(): string {
    return `The bucket ${s3Url(this.name)}`;
  }

  protected override howToLoad(): string {
    return "call `await bucket.load()` first, then read them";
  }

  /** ListBuckets, keeping this bucket's entry (boto3's injected `bucket.load()`). */
  async load(): Promise<void> {
    for await (const page of paginateListBuckets({ client: this.meta.client }, {})) {
      const entry = page.Buckets?.find((bucket) => bucket.Name === this.name);
      if (entry) {
        this.keepData(entry);
        return;
      }
    }
    // Not listed: HeadBucket says whether it is missing (NoSuchBucket) or someone else's (AccessDenied).
    await explained(this.meta.client.send(new HeadBucketCommand({ Bucket: this.name })));
    throw new S3KitError(`The bucket ${s3Url(this.name)} exists but is not among your buckets (ListBuckets): it belongs to another account.`, "AccessDenied");
  }

  get creationDate() { return this.loaded().CreationDate; }
  get bucketRegion() { return this.loaded().BucketRegion; }

  /**
   * CreateBucket, after checking the name against S3's rules (boto3's `bucket.create()`). Outside
   * us-east-1 the SDK adds `LocationConstraint` = the client's region, which boto3 leaves to you.
   */
  async create(params: ListParams<CreateBucketCommandInput> = {}) {
    validateBucketName(this.name);
    return this.act("create", this.meta.client.send(new CreateBucketCommand({ ...params, Bucket: this.name })));
  }

  /** DeleteBucket; the bucket must be empty (boto3's `bucket.delete()`). */
  delete() {
    return this.act("delete", this.meta.client.send(new DeleteBucketCommand({ Bucket: this.name })));
  }

  /** DeleteObjects with the keys you list, at most 1,000 (boto3's `bucket.delete_objects(Delete=...)`). */
  deleteObjects(params: ListParams<DeleteObjectsCommandInput>) {
    return this.act("deleteObjects", this.meta.client.send(new DeleteObjectsCommand({ ...params, Bucket: this.name })));
  }

  /** PutObject, returning the S3Object it wrote (boto3's `bucket.put_object(Key=..., Body=...)`). */
  async putObject(params: ListParams<PutObjectCommandInput> & { Key: string }): Promise<S3Object> {
    validateKey(this.name, params.Key);
    await this.act("putObject", this.meta.client.send(new PutObjectCommand({ ...params, Bucket: this.name })));
    return this.object(params.Key);
  }

  /** HeadBucket: true if the bucket is there, false if not; other failures throw (s3kit's). */
  exists(): Promise<boolean> {
    return succeeds(this.meta.client.send(new HeadBucketCommand({ Bucket: this.name })));
  }

  /** Polls HeadBucket every `delay` s, `maxAttempts` times, until the bucket exists (boto3's `bucket.wait_until_exists()`). */
  waitUntilExists(options: WaitOptions = {}): Promise<void> {
    return pollUntil(() => this.exists(), true, options, (seconds) => `The bucket ${s3Url(this.name)} did not appear within ${seconds} s`);
  }

  /** Polls HeadBucket every `delay` s, `maxAttempts` times, until the bucket is gone (boto3's `bucket.wait_until_not_exists()`). */
  waitUntilNotExists(options: WaitOptions = {}): Promise<void> {
    return pollUntil(() => this.exists(), false, options, (seconds) => `The bucket ${s3Url(this.name)} still existed after ${seconds} s`);
  }

  /** The object at `key` in this bucket; sends nothing (boto3's `bucket.Object(key)`). */
  object(key: string): S3Object {
    return new S3Object(this.meta.client, this.name, key);
  }

  /** boto3's `bucket.Acl()`. */
  acl() { return new BucketAcl(this.meta.client, this.name); }
  /** boto3's `bucket.Cors()`. */
  cors() { return new BucketCors(this.meta.client, this.name); }
  /** boto3's `bucket.Lifecycle()`: the SDK v3 has only the *Configuration operations, so this is `lifecycleConfiguration()`. */
  lifecycle() { return this.lifecycleConfiguration(); }
  /** boto3's `bucket.LifecycleConfiguration()`. */
  lifecycleConfiguration() { return new BucketLifecycleConfiguration(this.meta.client, this.name); }
  /** boto3's `bucket.Logging()`. */
  logging() { return new BucketLogging(this.meta.client, this.name); }
  /** boto3's `bucket.Notification()`. */
  notification() { return new BucketNotification(this.meta.client, this.name); }
  /** boto3's `bucket.Policy()`. */
  policy() { return new BucketPolicy(this.meta.client, this.name); }
  /** boto3's `bucket.RequestPayment()`. */
  requestPayment() { return new BucketRequestPayment(this.meta.client, this.name); }
  /** boto3's `bucket.Tagging()`. */
  tagging() { return new BucketTagging(this.meta.client, this.name); }
  /** boto3's `bucket.Versioning()`. */
  versioning() { return new BucketVersioning(this.meta.client, this.name); }
  /** boto3's `bucket.Website()`. */
  website() { return new BucketWebsite(this.meta.client, this.name); }

  // boto3 injects these managed transfers into its Bucket; here they call lib/src/transfers.

  /** Managed upload of a local file to `key` (boto3's `bucket.upload_file()`). */
  uploadFile(file: string, key: string, options?: UploadOptions): Promise<UploadResult> {
    return uploadFile(this.meta.client, file, this.name, key, options);
  }

  /** Managed upload of a Buffer, string or stream to `key` (boto3's `bucket.upload_fileobj()`). */
  uploadData(body: Buffer | string | Readable, key: string, options?: UploadOptions): Promise<UploadResult> {
    return uploadData(this.meta.client, body, this.name, key, options);
  }

  /** Managed download of `key` to a local file (boto3's `bucket.download_file()`). */
  downloadFile(key: string, file: string, options?: TransferOptions): Promise<DownloadResult> {
    return downloadFile(this.meta.client, this.name, key, file, options);
  }

  /** Managed download of `key` into any writable stream (boto3's `bucket.download_fileobj()`). */
  downloadFileobj(key: string, target: Writable, options?: TransferOptions): Promise<StreamDownloadResult> {
    return downloadFileobj(this.meta.client, this.name, key, target, options);
  }

  /** Managed copy of another object to `key` in this bucket (boto3's `bucket.copy()`). */
  copy(source: ObjectLocation, key: string, options?: CopyOptions): Promise<{ etag?: string }> {
    return copyObject(this.meta.client, source, { Bucket: this.name, Key: key }, options);
  }

  /** Uploads a local folder under `prefix` (boto3 has no single call; `aws s3 sync` does this). */
  uploadDirectory(dir: string, prefix = "", options?: UploadOptions): Promise<string[]> {
    return uploadDirectory(this.meta.client, dir, this.name, prefix, options);
  }

  /** Downloads every object under `prefix` into a local folder (like `aws s3 sync s3://bucket/prefix dir`). */
  downloadPrefix(prefix: string, dir: string, options?: TransferOptions): Promise<string[]> {
    return downloadPrefix(this.meta.client, this.name, prefix, dir, options);
  }
}
