// The resource interface: boto3's `boto3.resource('s3')` over the SDK v3 client.
export { ServiceResource } from "./service";
export { Bucket } from "./bucket";
export { S3Object, ObjectSummary, ObjectBase, copySourceHeader, type ObjectData, type ObjectIdentifiers, type ObjectSummaryData } from "./object";
export { ObjectVersion, type ObjectVersionIdentifiers } from "./object-version";
export { MultipartUpload, MultipartUploadPart, type MultipartUploadIdentifiers, type MultipartUploadPartIdentifiers } from "./multipart";
export {
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
export { Resource, LoadableResource, DEFAULT_WAIT, type ResourceMeta, type WaitOptions } from "./base";
export { type ObjectContent } from "./body";
export { bucketNameProblem, validateBucketName } from "./bucket-name";
