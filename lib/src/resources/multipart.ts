/**
 * A multipart upload in progress and its parts (boto3's `MultipartUpload`, `MultipartUploadPart`):
 * the low-level steps that managed uploads automate. Start one with `obj.initiateMultipartUpload()`,
 * upload parts, then `complete()` it, or `abort()` it so S3 drops the stored parts.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  paginateListParts,
  UploadPartCommand,
  UploadPartCopyCommand,
  type AbortMultipartUploadCommandInput,
  type CompleteMultipartUploadCommandInput,
  type ListPartsCommandInput,
  type MultipartUpload as MultipartUploadData,
  type Part,
  type S3Client,
  type UploadPartCommandInput,
  type UploadPartCopyCommandInput,
} from "@aws-sdk/client-s3";
import { ResourceCollection } from "../collections/collection";
import { explained, s3Url } from "../errors";
import { Resource } from "./base";
import { copySourceHeader, S3Object, type CopySource, type Params } from "./object";

export interface MultipartUploadIdentifiers {
  bucketName: string;
  objectKey: string;
  id: string;
}

export class MultipartUpload extends Resource<MultipartUploadIdentifiers, MultipartUploadData> {
  protected static readonly subresources = ["object", "part"];
  readonly bucketName: string;
  readonly objectKey: string;
  readonly id: string;
  /** The parts uploaded so far, via ListParts (boto3's `upload.parts`). */
  readonly parts: ResourceCollection<MultipartUploadPart, Params<ListPartsCommandInput, "UploadId">>;

  constructor(client: S3Client, bucketName: string, objectKey: string, id: string, data?: MultipartUploadData) {
    super(client, { bucketName, objectKey, id }, data);
    this.bucketName = bucketName;
    this.objectKey = objectKey;
    this.id = id;
    this.parts = new ResourceCollection({
      pages: async function* (params, pageSize) {
        const input = { ...params, Bucket: bucketName, Key: objectKey, UploadId: id };
        for await (const page of paginateListParts({ client, pageSize }, input)) {
          yield (page.Parts ?? []).map((part) => new MultipartUploadPart(client, bucketName, objectKey, id, part.PartNumber!, part));
          // Ceph RGW 16 sends a NextPartNumberMarker on the last page too; the SDK's paginator would follow it forever.
          if (!page.IsTruncated) break;
        }
      },
    });
  }

  protected describe(): string {
    return `Multipart upload ${this.id} to ${s3Url(this.bucketName, this.objectKey)}`;
  }

  protected override howToLoad(): string {
    return "an upload's attributes come from a listing, so take it from `bucket.multipartUploads`";
  }

  /** AbortMultipartUpload: S3 deletes the parts stored so far (boto3's `upload.abort()`). */
  abort(params: Params<AbortMultipartUploadCommandInput, "UploadId"> = {}) {
    const input = { ...params, Bucket: this.bucketName, Key: this.objectKey, UploadId: this.id };
    return explained(this.meta.client.send(new AbortMultipartUploadCommand(input)));
  }

  /**
   * CompleteMultipartUpload: S3 joins the listed parts into the object, returned as an S3Object
   * (boto3's `upload.complete(MultipartUpload={"Parts": [...]})`).
   */
  async complete(params: Params<CompleteMultipartUploadCommandInput, "UploadId"> = {}): Promise<S3Object> {
    const input = { ...params, Bucket: this.bucketName, Key: this.objectKey, UploadId: this.id };
    await explained(this.meta.client.send(new CompleteMultipartUploadCommand(input)));
    return this.object();
  }

  /** Part `partNumber` (1-10,000) of this upload (boto3's `upload.Part(n)`). */
  part(partNumber: number): MultipartUploadPart {
    return new MultipartUploadPart(this.meta.client, this.bucketName, this.objectKey, this.id, partNumber);
  }

  /** The object this upload creates (boto3's `upload.Object()`). */
  object(): S3Object {
    return new S3Object(this.meta.client, this.bucketName, this.objectKey);
  }

  get key() { return this.loaded().Key; }
  get uploadId() { return this.loaded().UploadId; }
  get initiated() { return this.loaded().Initiated; }
  get storageClass() { return this.loaded().StorageClass; }
  get owner() { return this.loaded().Owner; }
  get initiator() { return this.loaded().Initiator; }
  get checksumAlgorithm() { return this.loaded().ChecksumAlgorithm; }
}

export interface MultipartUploadPartIdentifiers {
  bucketName: string;
  objectKey: string;
  multipartUploadId: string;
  partNumber: number;
}

export class MultipartUploadPart extends Resource<MultipartUploadPartIdentifiers, Part> {
  protected static readonly subresources = ["multipartUpload"];
  readonly bucketName: string;
  readonly objectKey: string;
  readonly multipartUploadId: string;
  readonly partNumber: number;

  constructor(client: S3Client, bucketName: string, objectKey: string, multipartUploadId: string, partNumber: number, data?: Part) {
    super(client, { bucketName, objectKey, multipartUploadId, partNumber }, data);
    this.bucketName = bucketName;
    this.objectKey = objectKey;
    this.multipartUploadId = multipartUploadId;
    this.partNumber = partNumber;
  }

  protected describe(): string {
    return `Part ${this.partNumber} of multipart upload ${this.multipartUploadId} to ${s3Url(this.bucketName, this.objectKey)}`;
  }

  protected override howToLoad(): string {
    return "a part's attributes come from a listing, so take it from `upload.parts`";
  }

  private get target() {
    return { Bucket: this.bucketName, Key: this.objectKey, UploadId: this.multipartUploadId, PartNumber: this.partNumber };
  }

  /** UploadPart: sends this part's bytes; keep the ETag for `complete()` (boto3's `part.upload(Body=...)`). */
  upload(params: Params<UploadPartCommandInput, "UploadId" | "PartNumber"> = {}) {
    return explained(this.meta.client.send(new UploadPartCommand({ ...params, ...this.target })));
  }

  /** UploadPartCopy: this part's bytes copied server-side from another object (boto3's `part.copy_from()`). */
  copyFrom(params: Params<UploadPartCopyCommandInput, "UploadId" | "PartNumber" | "CopySource"> & { CopySource: CopySource }) {
    const input = { ...params, ...this.target, CopySource: copySourceHeader(params.CopySource) };
    return explained(this.meta.client.send(new UploadPartCopyCommand(input)));
  }

  /** The upload this part belongs to (boto3's `part.MultipartUpload()`). */
  multipartUpload(): MultipartUpload {
    return new MultipartUpload(this.meta.client, this.bucketName, this.objectKey, this.multipartUploadId);
  }

  get eTag() { return this.loaded().ETag; }
  get size() { return this.loaded().Size; }
  get lastModified() { return this.loaded().LastModified; }
  get checksumCrc32() { return this.loaded().ChecksumCRC32; }
  get checksumCrc32C() { return this.loaded().ChecksumCRC32C; }
  get checksumSha1() { return this.loaded().ChecksumSHA1; }
  get checksumSha256() { return this.loaded().ChecksumSHA256; }
}
