import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type DeleteMarkerEntry,
  type DeleteObjectCommandInput,
  type GetObjectCommandInput,
  type HeadObjectCommandInput,
  type ObjectVersion as ObjectVersionData,
  type S3Client,
} from "@aws-sdk/client-s3";
import { explained, s3Url } from "../errors";
import { Resource } from "./base";
import { withBodyHelpers, type ObjectContent } from "./body";
import { S3Object, type Params } from "./object";

export interface ObjectVersionIdentifiers {
  bucketName: string;
  objectKey: string;
  id: string;
}

/**
 * One version of an object in a versioned bucket (boto3's `ObjectVersion`): what
 * `bucket.objectVersions` yields, versions and delete markers alike. Its attributes come from
 * that listing; like boto3's, it has no `load()` (use `head()`).
 */
export class ObjectVersion extends Resource<ObjectVersionIdentifiers, ObjectVersionData | DeleteMarkerEntry> {
  protected static readonly subresources = ["object"];
  readonly bucketName: string;
  readonly objectKey: string;
  readonly id: string;

  constructor(client: S3Client, bucketName: string, objectKey: string, id: string, data?: ObjectVersionData | DeleteMarkerEntry) {
    super(client, { bucketName, objectKey, id }, data);
    this.bucketName = bucketName;
    this.objectKey = objectKey;
    this.id = id;
  }

  protected describe(): string {
    return `Version ${this.id} of ${s3Url(this.bucketName, this.objectKey)}`;
  }

  protected override howToLoad(): string {
    return "a version's attributes come from a listing, so take it from `bucket.objectVersions` (or call `await version.head()`)";
  }

  /** GetObject of this version, with body helpers (boto3's `version.get()`). */
  async get(params: Params<GetObjectCommandInput, "VersionId"> = {}): Promise<ObjectContent> {
    const input = { ...params, Bucket: this.bucketName, Key: this.objectKey, VersionId: this.id };
    return withBodyHelpers(await explained(this.meta.client.send(new GetObjectCommand(input))));
  }

  /** HeadObject of this version (boto3's `version.head()`). */
  head(params: Params<HeadObjectCommandInput, "VersionId"> = {}) {
    return explained(this.meta.client.send(new HeadObjectCommand({ ...params, Bucket: this.bucketName, Key: this.objectKey, VersionId: this.id })));
  }

  /** DeleteObject of this version: removes it for good (boto3's `version.delete()`). */
  delete(params: Params<DeleteObjectCommandInput, "VersionId"> = {}) {
    return explained(this.meta.client.send(new DeleteObjectCommand({ ...params, Bucket: this.bucketName, Key: this.objectKey, VersionId: this.id })));
  }

  /** The object (its latest version) (boto3's `version.Object()`). */
  object(): S3Object {
    return new S3Object(this.meta.client, this.bucketName, this.objectKey);
  }

  /** True for a delete marker (a listing's DeleteMarkers entry), which, unlike a version, has no Size. */
  get isDeleteMarker(): boolean {
    return !("Size" in this.loaded());
  }
  get key() { return this.loaded().Key; }
  get versionId() { return this.loaded().VersionId; }
  get isLatest() { return this.loaded().IsLatest; }
  get lastModified() { return this.loaded().LastModified; }
  get owner() { return this.loaded().Owner; }
  get size() { return (this.loaded() as ObjectVersionData).Size; }
  get eTag() { return (this.loaded() as ObjectVersionData).ETag; }
  get storageClass() { return (this.loaded() as ObjectVersionData).StorageClass; }
  get checksumAlgorithm() { return (this.loaded() as ObjectVersionData).ChecksumAlgorithm; }
}
