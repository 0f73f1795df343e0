import { CreateBucketCommand, paginateListBuckets, type CreateBucketCommandInput, type ListBucketsCommandInput, type S3Client } from "@aws-sdk/client-s3";
import { ResourceCollection } from "../collections/collection";
import { explained } from "../errors";
import { Bucket } from "./bucket";
import { validateBucketName } from "./bucket-name";
import { MultipartUpload, MultipartUploadPart } from "./multipart";
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
  ObjectAcl,
} from "./subresources";

/**
 * The entry point of the resource interface (boto3's `boto3.resource('s3')`), built on an
 * S3Client that stays reachable as `resource.meta.client`. The factories (`bucket(name)`,
 * `object(bucket, key)`, ...) send nothing: they name a resource; its methods send requests.
 */
export class ServiceResource {
  readonly meta: { readonly client: S3Client };
  /** Every bucket, via ListBuckets (boto3's `s3.buckets`). */
  readonly buckets: ResourceCollection<Bucket, Omit<ListBucketsCommandInput, "MaxBuckets" | "ContinuationToken">>;

  constructor(client: S3Client) {
    this.meta = { client };
    this.buckets = new ResourceCollection({
      pages: async function* (params, pageSize) {
        for await (const page of paginateListBuckets({ client, pageSize }, params)) {
          yield (page.Buckets ?? []).map((entry) => new Bucket(client, entry.Name!, entry));
        }
      },
    });
  }

  /** CreateBucket after checking the name, returning the Bucket (boto3's `s3.create_bucket(Bucket=...)`). */
  async createBucket(params: CreateBucketCommandInput & { Bucket: string }): Promise<Bucket> {
    validateBucketName(params.Bucket);
    await explained(this.meta.client.send(new CreateBucketCommand(params)));
    return this.bucket(params.Bucket);
  }

  /** The factories below, by name (boto3's `s3.get_available_subresources()`). */
  getAvailableSubresources(): string[] {
    return [
      "bucket", "bucketAcl", "bucketCors", "bucketLifecycleConfiguration", "bucketLogging", "bucketNotification",
      "bucketPolicy", "bucketRequestPayment", "bucketTagging", "bucketVersioning", "bucketWebsite",
      "multipartUpload", "multipartUploadPart", "object", "objectAcl", "objectSummary", "objectVersion",
    ];
  }

  /** boto3's `s3.Bucket(name)`. */
  bucket(name: string) { return new Bucket(this.meta.client, name); }
  /** boto3's `s3.Object(bucket_name, key)`. */
  object(bucketName: string, key: string) { return new S3Object(this.meta.client, bucketName, key); }
  /** boto3's `s3.ObjectSummary(bucket_name, key)`. */
  objectSummary(bucketName: string, key: string) { return new ObjectSummary(this.meta.client, bucketName, key); }
  /** boto3's `s3.ObjectVersion(bucket_name, object_key, id)`. */
  objectVersion(bucketName: string, objectKey: string, id: string) { return new ObjectVersion(this.meta.client, bucketName, objectKey, id); }
  /** boto3's `s3.ObjectAcl(bucket_name, object_key)`. */
  objectAcl(bucketName: string, objectKey: string) { return new ObjectAcl(this.meta.client, bucketName, objectKey); }
  /** boto3's `s3.MultipartUpload(bucket_name, object_key, id)`. */
  multipartUpload(bucketName: string, objectKey: string, id: string) { return new MultipartUpload(this.meta.client, bucketName, objectKey, id); }
  /** boto3's `s3.MultipartUploadPart(bucket_name, object_key, multipart_upload_id, part_number)`. */
  multipartUploadPart(bucketName: string, objectKey: string, multipartUploadId: string, partNumber: number) {
    return new MultipartUploadPart(this.meta.client, bucketName, objectKey, multipartUploadId, partNumber);
  }
  /** boto3's `s3.BucketAcl(bucket_name)`. */
  bucketAcl(bucketName: string) { return new BucketAcl(this.meta.client, bucketName); }
  /** boto3's `s3.BucketCors(bucket_name)`. */
  bucketCors(bucketName: string) { return new BucketCors(this.meta.client, bucketName); }
  /** boto3's `s3.BucketLifecycleConfiguration(bucket_name)` (and `BucketLifecycle`, whose operations the SDK v3 lacks). */
  bucketLifecycleConfiguration(bucketName: string) { return new BucketLifecycleConfiguration(this.meta.client, bucketName); }
  /** boto3's `s3.BucketLogging(bucket_name)`. */
  bucketLogging(bucketName: string) { return new BucketLogging(this.meta.client, bucketName); }
  /** boto3's `s3.BucketNotification(bucket_name)`. */
  bucketNotification(bucketName: string) { return new BucketNotification(this.meta.client, bucketName); }
  /** boto3's `s3.BucketPolicy(bucket_name)`. */
  bucketPolicy(bucketName: string) { return new BucketPolicy(this.meta.client, bucketName); }
  /** boto3's `s3.BucketRequestPayment(bucket_name)`. */
  bucketRequestPayment(bucketName: string) { return new BucketRequestPayment(this.meta.client, bucketName); }
  /** boto3's `s3.BucketTagging(bucket_name)`. */
  bucketTagging(bucketName: string) { return new BucketTagging(this.meta.client, bucketName); }
  /** boto3's `s3.BucketVersioning(bucket_name)`. */
  bucketVersioning(bucketName: string) { return new BucketVersioning(this.meta.client, bucketName); }
  /** boto3's `s3.BucketWebsite(bucket_name)`. */
  bucketWebsite(bucketName: string) { return new BucketWebsite(this.meta.client, bucketName); }
}
