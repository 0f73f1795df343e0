/**
 * A bucket's configuration, one resource per kind (boto3's `bucket.Cors()`, `bucket.Policy()`,
 * ...), and an object's ACL. Each is a small mapping: `load()` sends Get<Kind>, `put()` sends
 * Put<Kind>, `delete()` (where S3 has one) sends Delete<Kind>. Many are not implemented by the
 * kit's local server (s3rver): see the README's support table.
 */
import {
  DeleteBucketCorsCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectAclCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutObjectAclCommand,
  type GetBucketAclCommandOutput,
  type GetBucketCorsCommandOutput,
  type GetBucketLifecycleConfigurationCommandOutput,
  type GetBucketLoggingCommandOutput,
  type GetBucketNotificationConfigurationCommandOutput,
  type GetBucketPolicyCommandOutput,
  type GetBucketRequestPaymentCommandOutput,
  type GetBucketTaggingCommandOutput,
  type GetBucketVersioningCommandOutput,
  type GetBucketWebsiteCommandOutput,
  type GetObjectAclCommandOutput,
  type PutBucketAclCommandInput,
  type PutBucketCorsCommandInput,
  type PutBucketLifecycleConfigurationCommandInput,
  type PutBucketLoggingCommandInput,
  type PutBucketNotificationConfigurationCommandInput,
  type PutBucketPolicyCommandInput,
  type PutBucketRequestPaymentCommandInput,
  type PutBucketTaggingCommandInput,
  type PutBucketVersioningCommandInput,
  type PutBucketWebsiteCommandInput,
  type PutObjectAclCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { explained, s3Url } from "../errors";
import { LoadableResource } from "./base";
import { Bucket } from "./bucket";
import { S3Object } from "./object";

/** An answer without its HTTP metadata: what a sub-resource keeps in `meta.data`. */
type Loaded<Output> = Omit<Output, "$metadata">;
/** A Put request's input without the bucket, which the resource fills in. */
type PutParams<Input> = Omit<Input, "Bucket">;

/** What every bucket sub-resource shares: the bucket name, and keeping a Get answer as its data. */
abstract class BucketSubresource<Data extends object> extends LoadableResource<{ bucketName: string }, Data> {
  protected static readonly subresources = ["bucket"];
  readonly bucketName: string;

  constructor(client: S3Client, bucketName: string) {
    super(client, { bucketName });
    this.bucketName = bucketName;
  }

  /** The accessor name on Bucket, e.g. "cors", for messages. */
  protected abstract readonly kind: string;

  protected describe(): string {
    return `The ${this.kind} configuration of ${s3Url(this.bucketName)}`;
  }

  protected override howToLoad(): string {
    return `call \`await bucket.${this.kind}().load()\` first, then read them`;
  }

  /** Awaits a Get request and keeps its answer, minus HTTP metadata, as the attributes. */
  protected async keep(request: Promise<Data & { $metadata: unknown }>): Promise<void> {
    const { $metadata, ...data } = await explained(request);
    this.keepData(data as unknown as Data);
  }

  /** The bucket this configuration belongs to (boto3's `.Bucket()`). */
  bucket(): Bucket {
    return new Bucket(this.meta.client, this.bucketName);
  }
}

/** The bucket's access control list (boto3's `BucketAcl`). */
export class BucketAcl extends BucketSubresource<Loaded<GetBucketAclCommandOutput>> {
  protected readonly kind = "acl";
  /** GetBucketAcl (boto3's `acl.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketAclCommand({ Bucket: this.bucketName }))); }
  /** PutBucketAcl (boto3's `acl.put()`). */
  put(params: PutParams<PutBucketAclCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketAclCommand({ ...params, Bucket: this.bucketName }))); }
  get owner() { return this.loaded().Owner; }
  get grants() { return this.loaded().Grants; }
}

/** Which web origins may call the bucket from a browser (boto3's `BucketCors`). */
export class BucketCors extends BucketSubresource<Loaded<GetBucketCorsCommandOutput>> {
  protected readonly kind = "cors";
  /** GetBucketCors (boto3's `cors.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketCorsCommand({ Bucket: this.bucketName }))); }
  /** PutBucketCors: `put({ CORSConfiguration: { CORSRules: [...] } })` (boto3's `cors.put()`). */
  put(params: PutParams<PutBucketCorsCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketCorsCommand({ ...params, Bucket: this.bucketName }))); }
  /** DeleteBucketCors (boto3's `cors.delete()`). */
  delete() { return this.act("delete", this.meta.client.send(new DeleteBucketCorsCommand({ Bucket: this.bucketName }))); }
  get corsRules() { return this.loaded().CORSRules; }
}

/**
 * Rules that expire or transition objects (boto3's `BucketLifecycleConfiguration`, and its
 * deprecated `BucketLifecycle`, whose operations the SDK v3 no longer has).
 */
export class BucketLifecycleConfiguration extends BucketSubresource<Loaded<GetBucketLifecycleConfigurationCommandOutput>> {
  protected readonly kind = "lifecycleConfiguration";
  /** GetBucketLifecycleConfiguration (boto3's `lifecycle_configuration.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: this.bucketName }))); }
  /** PutBucketLifecycleConfiguration (boto3's `lifecycle_configuration.put()`). */
  put(params: PutParams<PutBucketLifecycleConfigurationCommandInput>) {
    return this.act("put", this.meta.client.send(new PutBucketLifecycleConfigurationCommand({ ...params, Bucket: this.bucketName })));
  }
  /** DeleteBucketLifecycle (boto3's `lifecycle_configuration.delete()`). */
  delete() { return this.act("delete", this.meta.client.send(new DeleteBucketLifecycleCommand({ Bucket: this.bucketName }))); }
  get rules() { return this.loaded().Rules; }
}

/** Where S3 writes the bucket's access logs (boto3's `BucketLogging`). */
export class BucketLogging extends BucketSubresource<Loaded<GetBucketLoggingCommandOutput>> {
  protected readonly kind = "logging";
  /** GetBucketLogging (boto3's `logging.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketLoggingCommand({ Bucket: this.bucketName }))); }
  /** PutBucketLogging (boto3's `logging.put()`). */
  put(params: PutParams<PutBucketLoggingCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketLoggingCommand({ ...params, Bucket: this.bucketName }))); }
  get loggingEnabled() { return this.loaded().LoggingEnabled; }
}

/** Events S3 sends to SNS, SQS, Lambda or EventBridge (boto3's `BucketNotification`). */
export class BucketNotification extends BucketSubresource<Loaded<GetBucketNotificationConfigurationCommandOutput>> {
  protected readonly kind = "notification";
  /** GetBucketNotificationConfiguration (boto3's `notification.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketNotificationConfigurationCommand({ Bucket: this.bucketName }))); }
  /** PutBucketNotificationConfiguration (boto3's `notification.put()`). */
  put(params: PutParams<PutBucketNotificationConfigurationCommandInput>) {
    return this.act("put", this.meta.client.send(new PutBucketNotificationConfigurationCommand({ ...params, Bucket: this.bucketName })));
  }
  get topicConfigurations() { return this.loaded().TopicConfigurations; }
  get queueConfigurations() { return this.loaded().QueueConfigurations; }
  get lambdaFunctionConfigurations() { return this.loaded().LambdaFunctionConfigurations; }
  get eventBridgeConfiguration() { return this.loaded().EventBridgeConfiguration; }
}

/** The bucket's IAM policy document, a JSON string (boto3's `BucketPolicy`). */
export class BucketPolicy extends BucketSubresource<Loaded<GetBucketPolicyCommandOutput>> {
  protected readonly kind = "policy";
  /** GetBucketPolicy (boto3's `policy.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketPolicyCommand({ Bucket: this.bucketName }))); }
  /** PutBucketPolicy: `put({ Policy: JSON.stringify(document) })` (boto3's `policy.put()`). */
  put(params: PutParams<PutBucketPolicyCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketPolicyCommand({ ...params, Bucket: this.bucketName }))); }
  /** DeleteBucketPolicy (boto3's `policy.delete()`). */
  delete() { return this.act("delete", this.meta.client.send(new DeleteBucketPolicyCommand({ Bucket: this.bucketName }))); }
  get policy() { return this.loaded().Policy; }
}

/** Who pays for requests and transfer: the owner or the requester (boto3's `BucketRequestPayment`). */
export class BucketRequestPayment extends BucketSubresource<Loaded<GetBucketRequestPaymentCommandOutput>> {
  protected readonly kind = "requestPayment";
  /** GetBucketRequestPayment (boto3's `request_payment.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketRequestPaymentCommand({ Bucket: this.bucketName }))); }
  /** PutBucketRequestPayment (boto3's `request_payment.put()`). */
  put(params: PutParams<PutBucketRequestPaymentCommandInput>) {
    return this.act("put", this.meta.client.send(new PutBucketRequestPaymentCommand({ ...params, Bucket: this.bucketName })));
  }
  get payer() { return this.loaded().Payer; }
}

/** The bucket's tags (boto3's `BucketTagging`). */
export class BucketTagging extends BucketSubresource<Loaded<GetBucketTaggingCommandOutput>> {
  protected readonly kind = "tagging";
  /** GetBucketTagging (boto3's `tagging.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketTaggingCommand({ Bucket: this.bucketName }))); }
  /** PutBucketTagging: `put({ Tagging: { TagSet: [{ Key, Value }] } })` (boto3's `tagging.put()`). */
  put(params: PutParams<PutBucketTaggingCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketTaggingCommand({ ...params, Bucket: this.bucketName }))); }
  /** DeleteBucketTagging (boto3's `tagging.delete()`). */
  delete() { return this.act("delete", this.meta.client.send(new DeleteBucketTaggingCommand({ Bucket: this.bucketName }))); }
  get tagSet() { return this.loaded().TagSet; }
}

/** Whether S3 keeps every version of every object (boto3's `BucketVersioning`). */
export class BucketVersioning extends BucketSubresource<Loaded<GetBucketVersioningCommandOutput>> {
  protected readonly kind = "versioning";
  /** GetBucketVersioning (boto3's `versioning.load()`); a never-versioned bucket has no status. */
  load() { return this.keep(this.meta.client.send(new GetBucketVersioningCommand({ Bucket: this.bucketName }))); }
  /** PutBucketVersioning (boto3's `versioning.put()`). */
  put(params: PutParams<PutBucketVersioningCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketVersioningCommand({ ...params, Bucket: this.bucketName }))); }
  /** PutBucketVersioning with Status "Enabled" (boto3's `versioning.enable()`). */
  enable() { return this.put({ VersioningConfiguration: { Status: "Enabled" } }); }
  /** PutBucketVersioning with Status "Suspended": existing versions stay (boto3's `versioning.suspend()`). */
  suspend() { return this.put({ VersioningConfiguration: { Status: "Suspended" } }); }
  get status() { return this.loaded().Status; }
  get mfaDelete() { return this.loaded().MFADelete; }
}

/** Static website hosting: index and error documents, redirects (boto3's `BucketWebsite`). */
export class BucketWebsite extends BucketSubresource<Loaded<GetBucketWebsiteCommandOutput>> {
  protected readonly kind = "website";
  /** GetBucketWebsite (boto3's `website.load()`). */
  load() { return this.keep(this.meta.client.send(new GetBucketWebsiteCommand({ Bucket: this.bucketName }))); }
  /** PutBucketWebsite: `put({ WebsiteConfiguration: { IndexDocument: { Suffix } } })` (boto3's `website.put()`). */
  put(params: PutParams<PutBucketWebsiteCommandInput>) { return this.act("put", this.meta.client.send(new PutBucketWebsiteCommand({ ...params, Bucket: this.bucketName }))); }
  /** DeleteBucketWebsite (boto3's `website.delete()`). */
  delete() { return this.act("delete", this.meta.client.send(new DeleteBucketWebsiteCommand({ Bucket: this.bucketName }))); }
  get indexDocument() { return this.loaded().IndexDocument; }
  get errorDocument() { return this.loaded().ErrorDocument; }
  get redirectAllRequestsTo() { return this.loaded().RedirectAllRequestsTo; }
  get routingRules() { return this.loaded().RoutingRules; }
}

/** An object's access control list (boto3's `ObjectAcl`). */
export class ObjectAcl extends LoadableResource<{ bucketName: string; objectKey: string }, Loaded<GetObjectAclCommandOutput>> {
  protected static readonly subresources = ["object"];
  readonly bucketName: string;
  readonly objectKey: string;

  constructor(client: S3Client, bucketName: string, objectKey: string) {
    super(client, { bucketName, objectKey });
    this.bucketName = bucketName;
    this.objectKey = objectKey;
  }

  protected describe(): string {
    return `The ACL of ${s3Url(this.bucketName, this.objectKey)}`;
  }

  protected override howToLoad(): string {
    return "call `await obj.acl().load()` first, then read them";
  }

  /** GetObjectAcl (boto3's `object_acl.load()`). */
  async load(): Promise<void> {
    const { $metadata, ...data } = await explained(this.meta.client.send(new GetObjectAclCommand({ Bucket: this.bucketName, Key: this.objectKey })));
    this.keepData(data);
  }

  /** PutObjectAcl (boto3's `object_acl.put()`). */
  put(params: Omit<PutObjectAclCommandInput, "Bucket" | "Key">) {
    return this.act("put", this.meta.client.send(new PutObjectAclCommand({ ...params, Bucket: this.bucketName, Key: this.objectKey })));
  }

  /** The object this ACL belongs to (boto3's `object_acl.Object()`). */
  object(): S3Object {
    return new S3Object(this.meta.client, this.bucketName, this.objectKey);
  }

  get owner() { return this.loaded().Owner; }
  get grants() { return this.loaded().Grants; }
  get requestCharged() { return this.loaded().RequestCharged; }
}
