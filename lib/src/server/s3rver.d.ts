// s3rver ships no types; these are the parts of its API the kit uses.
declare module "s3rver" {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
  }
  class S3rver {
    /** The object store; the kit swaps in its SafeFilesystemStore (with `context.store`). */
    store: unknown;
    context: { store: unknown };
    constructor(options: S3rverOptions);
    /** The request handler (s3rver is a Koa app), for an http.Server of one's own. */
    callback(): (request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => void;
  }
  export = S3rver;
}

// s3rver's internals the kit's SafeFilesystemStore builds on (s3rver 3.7.1, lib/stores/filesystem.js).
declare module "s3rver/lib/stores/filesystem" {
  class FilesystemStore {
    constructor(rootDirectory: string);
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key?: string, resource?: string): string;
    getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
    initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void>;
    existsObject(bucket: string, key: string): Promise<boolean>;
    deleteObject(bucket: string, key: string): Promise<void>;
    getBucket(bucket: string): Promise<object | null>;
    putObject(object: { bucket: string; key: string; content: Buffer | import("node:stream").Readable; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
    copyObject(srcBucket: string, srcKey: string, destBucket: string, destKey: string, replacementMetadata: Record<string, string> | null): Promise<Record<string, unknown>>;
  }
  export = FilesystemStore;
}

declare module "s3rver/lib/models/error" {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
    code: string;
    status: number;
    expose: boolean;
    toXML(): string;
  }
  export = S3Error;
}

declare module "s3rver/lib/models/object" {
  const S3Object: { ALLOWED_METADATA: string[] };
  export = S3Object;
}
