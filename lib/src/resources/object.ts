/**
 * Object and ObjectSummary: an S3 object named by bucket and key. boto3 gives both the same
 * actions; they differ in their attributes: an Object's come from HeadObject, an ObjectSummary's
 * from the listing it was found in.
 */
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  type _Object,
  type CopyObjectCommandInput,
  type CreateMultipartUploadCommandInput,
  type DeleteObjectCommandInput,
  type GetObjectCommandInput,
  type HeadObjectCommandOutput,
  type PutObjectCommandInput,
  type RestoreObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Readable, Writable } from "node:stream";
import { explained, s3Url } from "../errors";
import { presignedPost, presignedUrl, type PresignedPost, type PresignMethod, type PresignOptions, type PresignPostOptions } from "../presign";
import {
  copyObject,
  downloadFile,
  downloadFileobj,
  uploadData,
  uploadFile,
  type DownloadResult,
  type CopyOptions,
  type StreamDownloadResult,
  type ObjectLocation,
  type TransferOptions,
  type UploadOptions,
  type UploadResult,
} from "../transfers";
import { LoadableResource, pollUntil, succeeds, type WaitOptions } from "./base";
import { Bucket } from "./bucket";
import { withBodyHelpers, type ObjectContent } from "./body";
import { MultipartUpload } from "./multipart";
import { ObjectVersion } from "./object-version";
import { ObjectAcl } from "./subresources";

export interface ObjectIdentifiers {
  bucketName: string;
  key: string;
}

/** A request's input without what the resource fills in itself. */
export type Params<Input, Filled extends keyof Input = never> = Omit<Input, "Bucket" | "Key" | Filled>;

/** A copy source as boto3 accepts it: `"bucket/key"` or `{ Bucket, Key, VersionId? }`. */
export type CopySource = string | { Bucket: string; Key: string; VersionId?: string };

/** The `x-amz-copy-source` value: bucket/key with the key URL-encoded, as S3 expects. */
export function copySourceHeader(source: CopySource): string {
  if (typeof source === "string") return source;
  const key = encodeURIComponent(source.Key).replace(/%2F/g, "/");
  return `${source.Bucket}/${key}${source.VersionId ? `?versionId=${encodeURIComponent(source.VersionId)}` : ""}`;
}

/** The actions S3Object and ObjectSummary share (boto3 generates them for both). */
export abstract class ObjectBase<Data extends object> extends LoadableResource<ObjectIdentifiers, Data> {
  readonly bucketName: string;
  readonly key: string;

  constructor(client: S3Client, bucketName: string, key: string, data?: Data) {
    super(client, { bucketName, key }, data);
    this.bucketName = bucketName;
    this.key = key;
  }

  protected describe(): string {
    return s3Url(this.bucketName, this.key);
  }

  protected override howToLoad(): string {
    return "call `await obj.load()` first, then read them";
  }

  /** GetObject, with body helpers `text()`, `bytes()`, `stream()` (boto3's `obj.get()`). */
  async get(params: Params<GetObjectCommandInput> = {}): Promise<ObjectContent> {
    const output = await this.act("get", this.meta.client.send(new GetObjectCommand({ ...params, Bucket: this.bucketName, Key: this.key })));
    return withBodyHelpers(output);
  }

  /** PutObject: `put({ Body, ContentType, Metadata })` (boto3's `obj.put()`). */
  put(params: Params<PutObjectCommandInput> = {}) {
    return this.act("put", this.meta.client.send(new PutObjectCommand({ ...params, Bucket: this.bucketName, Key: this.key })));
  }

  /** DeleteObject (boto3's `obj.delete()`). */
  delete(params: Params<DeleteObjectCommandInput> = {}) {
    return this.act("delete", this.meta.client.send(new DeleteObjectCommand({ ...params, Bucket: this.bucketName, Key: this.key })));
  }

  /** CopyObject into this key, server-side (boto3's `obj.copy_from(CopySource=...)`). */
  copyFrom(params: Params<CopyObjectCommandInput, "CopySource"> & { CopySource: CopySource }) {
    const input = { ...params, Bucket: this.bucketName, Key: this.key, CopySource: copySourceHeader(params.CopySource) };
    return this.act("copyFrom", this.meta.client.send(new CopyObjectCommand(input)));
  }

  /** CreateMultipartUpload, returning its MultipartUpload (boto3's `obj.initiate_multipart_upload()`). */
  async initiateMultipartUpload(params: Params<CreateMultipartUploadCommandInput> = {}): Promise<MultipartUpload> {
    const input = { ...params, Bucket: this.bucketName, Key: this.key };
    const { UploadId } = await this.act("initiateMultipartUpload", this.meta.client.send(new CreateMultipartUploadCommand(input)));
    return new MultipartUpload(this.meta.client, this.bucketName, this.key, UploadId!);
  }

  /** RestoreObject: a temporary copy of an archived (Glacier) object (boto3's `obj.restore_object()`). */
  restoreObject(params: Params<RestoreObjectCommandInput> = {}) {
    return this.act("restoreObject", this.meta.client.send(new RestoreObjectCommand({ ...params, Bucket: this.bucketName, Key: this.key })));
  }

  /** HeadObject: true if the object is there, false if not; other failures throw (s3kit's; boto3 users catch a 404). */
  exists(): Promise<boolean> {
    return succeeds(this.meta.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: this.key })));
  }

  /** Polls HeadObject every `delay` s, `maxAttempts` times, until the object exists (boto3's `obj.wait_until_exists()`). */
  waitUntilExists(options: WaitOptions = {}): Promise<void> {
    return pollUntil(() => this.exists(), true, options, (seconds) => `${this.describe()} did not appear within ${seconds} s`);
  }

  /** Polls HeadObject every `delay` s, `maxAttempts` times, until the object is gone (boto3's `obj.wait_until_not_exists()`). */
  waitUntilNotExists(options: WaitOptions = {}): Promise<void> {
    return pollUntil(() => this.exists(), false, options, (seconds) => `${this.describe()} still existed after ${seconds} s`);
  }

  /** The object's ACL sub-resource (boto3's `obj.Acl()`). */
  acl(): ObjectAcl {
    return new ObjectAcl(this.meta.client, this.bucketName, this.key);
  }

  /** The bucket the object is in (boto3's `obj.Bucket()`). */
  bucket(): Bucket {
    return new Bucket(this.meta.client, this.bucketName);
  }

  /** A multipart upload to this key, by upload id (boto3's `obj.MultipartUpload(id)`). */
  multipartUpload(id: string): MultipartUpload {
    return new MultipartUpload(this.meta.client, this.bucketName, this.key, id);
  }

  /** One version of this object, by version id (boto3's `obj.Version(id)`). */
  version(id: string): ObjectVersion {
    return new ObjectVersion(this.meta.client, this.bucketName, this.key, id);
  }

  // boto3 injects these managed transfers into its Object; here they call lib/src/transfers.

  /** Managed (multipart above a threshold) upload of a local file (boto3's `obj.upload_file()`). */
  uploadFile(file: string, options?: UploadOptions): Promise<UploadResult> {
    return this.act("uploadFile", uploadFile(this.meta.client, file, this.bucketName, this.key, options));
  }

  /** Managed upload of a Buffer, string or stream (boto3's `obj.upload_fileobj()`). */
  uploadData(body: Buffer | string | Readable, options?: UploadOptions): Promise<UploadResult> {
    return this.act("uploadData", uploadData(this.meta.client, body, this.bucketName, this.key, options));
  }

  /** Managed download to a local file, in parallel ranges above a threshold (boto3's `obj.download_file()`). */
  downloadFile(file: string, options?: TransferOptions): Promise<DownloadResult> {
    return downloadFile(this.meta.client, this.bucketName, this.key, file, options);
  }

  /** Managed download into any writable stream, ranges in parallel, written in order (boto3's `obj.download_fileobj()`). */
  downloadFileobj(target: Writable, options?: TransferOptions): Promise<StreamDownloadResult> {
    return downloadFileobj(this.meta.client, this.bucketName, this.key, target, options);
  }

  /** Managed copy of another object onto this key, metadata kept (boto3's `obj.copy()`). */
  copy(source: ObjectLocation, options?: CopyOptions): Promise<{ etag?: string }> {
    return this.act("copy", copyObject(this.meta.client, source, { Bucket: this.bucketName, Key: this.key }, options));
  }

  /** A URL that GETs (or PUTs, HEADs, DELETEs) this object without credentials until it expires (boto3's `generate_presigned_url`). */
  presignedUrl(method: PresignMethod = "GET", options?: PresignOptions): Promise<string> {
    return presignedUrl(this.meta.client, method, this.bucketName, this.key, options);
  }

  /** A URL and form fields for a browser upload to this key (boto3's `generate_presigned_post`). */
  presignedPost(options?: PresignPostOptions): Promise<PresignedPost> {
    return presignedPost(this.meta.client, this.bucketName, this.key, options);
  }
}

/** HeadObject's answer without the HTTP metadata: what `S3Object.meta.data` holds after `load()`. */
export type ObjectData = Omit<HeadObjectCommandOutput, "$metadata">;

/**
 * An S3 object (boto3's `s3.Object(bucket, key)`; named S3Object because `Object` is JavaScript's
 * own). Creating one sends nothing. `await obj.load()` sends HeadObject; then the attributes
 * (`contentLength`, `contentType`, `eTag`, `lastModified`, `metadata`, ...) are plain properties.
 * boto3 sends that HeadObject silently on first attribute access; s3kit makes you `await` it, and
 * reading an attribute before loading throws NotLoaded.
 */
export class S3Object extends ObjectBase<ObjectData> {
  protected static readonly subresources = ["acl", "bucket", "multipartUpload", "version"];

  /** HeadObject: fills the attributes (boto3's `obj.load()`, also run implicitly on attribute access). */
  async load(): Promise<void> {
    const { $metadata, ...data } = await explained(this.meta.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: this.key })));
    this.keepData(data);
  }

  get acceptRanges() { return this.loaded().AcceptRanges; }
  get cacheControl() { return this.loaded().CacheControl; }
  get contentDisposition() { return this.loaded().ContentDisposition; }
  get contentEncoding() { return this.loaded().ContentEncoding; }
  get contentLanguage() { return this.loaded().ContentLanguage; }
  get contentLength() { return this.loaded().ContentLength; }
  get contentType() { return this.loaded().ContentType; }
  get deleteMarker() { return this.loaded().DeleteMarker; }
  get eTag() { return this.loaded().ETag; }
  get expiration() { return this.loaded().Expiration; }
  get expires() { return this.loaded().Expires; }
  get lastModified() { return this.loaded().LastModified; }
  get metadata() { return this.loaded().Metadata; }
  get missingMeta() { return this.loaded().MissingMeta; }
  get partsCount() { return this.loaded().PartsCount; }
  get replicationStatus() { return this.loaded().ReplicationStatus; }
  get restore() { return this.loaded().Restore; }
  get serverSideEncryption() { return this.loaded().ServerSideEncryption; }
  get storageClass() { return this.loaded().StorageClass; }
  get versionId() { return this.loaded().VersionId; }
  get websiteRedirectLocation() { return this.loaded().WebsiteRedirectLocation; }
  get archiveStatus() { return this.loaded().ArchiveStatus; }
  get bucketKeyEnabled() { return this.loaded().BucketKeyEnabled; }
  get checksumCrc32() { return this.loaded().ChecksumCRC32; }
  get checksumCrc32C() { return this.loaded().ChecksumCRC32C; }
  get checksumSha1() { return this.loaded().ChecksumSHA1; }
  get checksumSha256() { return this.loaded().ChecksumSHA256; }
  get objectLockLegalHoldStatus() { return this.loaded().ObjectLockLegalHoldStatus; }
  get objectLockMode() { return this.loaded().ObjectLockMode; }
  get objectLockRetainUntilDate() { return this.loaded().ObjectLockRetainUntilDate; }
  get requestCharged() { return this.loaded().RequestCharged; }
  get sseCustomerAlgorithm() { return this.loaded().SSECustomerAlgorithm; }
  get sseCustomerKeyMd5() { return this.loaded().SSECustomerKeyMD5; }
  get ssekmsKeyId() { return this.loaded().SSEKMSKeyId; }
}

/** A listing's entry, or after `load()` HeadObject's answer with ContentLength as Size (boto3's shape). */
export type ObjectSummaryData = _Object & Omit<ObjectData, keyof _Object | "ContentLength">;

/**
 * An object as a listing describes it (boto3's `ObjectSummary`): what `bucket.objects` yields,
 * with `key`, `size`, `eTag`, `lastModified`, `storageClass` already loaded from the listing.
 * Same actions as S3Object; `object()` gives the full S3Object.
 */
export class ObjectSummary extends ObjectBase<ObjectSummaryData> {
  protected static readonly subresources = ["acl", "bucket", "multipartUpload", "object", "version"];

  /**
   * HeadObject, its whole answer kept with ContentLength renamed Size, as boto3's injected
   * `ObjectSummary.load()` does. HEAD has no Owner (only listings do) and S3 leaves StorageClass
   * out for STANDARD objects: after a load those read `undefined`, as in boto3.
   */
  async load(): Promise<void> {
    const { $metadata, ContentLength, ...head } = await explained(this.meta.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: this.key })));
    this.keepData({ ...head, Size: ContentLength } as ObjectSummaryData);
  }

  /** The full Object, with HeadObject's attributes once loaded (boto3's `summary.Object()`). */
  object(): S3Object {
    return new S3Object(this.meta.client, this.bucketName, this.key);
  }

  get size() { return this.loaded().Size; }
  get eTag() { return this.loaded().ETag; }
  get lastModified() { return this.loaded().LastModified; }
  get storageClass() { return this.loaded().StorageClass; }
  get owner() { return this.loaded().Owner; }
  get checksumAlgorithm() { return this.loaded().ChecksumAlgorithm; }
}
