/**
 * Batch actions: one request acting on many resources. boto3's `collection.delete()` sends one
 * DeleteObjects per page of the listing, deleting a page before it asks for the next.
 */
import {
  DeleteObjectsCommand,
  type _Error,
  type DeletedObject,
  type DeleteObjectsCommandInput,
  type DeleteObjectsCommandOutput,
  type ObjectIdentifier,
  type S3Client,
} from "@aws-sdk/client-s3";
import { explained } from "../errors";
import { ResourceCollection, type CollectionSource } from "./collection";

/** DeleteObjects takes at most this many keys per request. */
export const MAX_KEYS_PER_DELETE = 1000;

/** DeleteObjects' parameters besides the bucket and the keys: `Quiet`, `MFA`, `BypassGovernanceRetention`, ... */
export type BatchDeleteParams = Omit<DeleteObjectsCommandInput, "Bucket" | "Delete"> & { Quiet?: boolean };

/**
 * What a batch delete did: S3's answer to each DeleteObjects request (boto3 returns that list),
 * and, gathered from them, the keys deleted and those S3 refused with its reason (Code, Message).
 */
export interface BatchDeleteResult {
  responses: DeleteObjectsCommandOutput[];
  deleted: DeletedObject[];
  errors: _Error[];
}

/** Deletes `objects` from `bucket` with as few DeleteObjects requests as the 1,000-key limit allows. */
export async function deleteInBatches(client: S3Client, bucket: string, objects: ObjectIdentifier[], params: BatchDeleteParams = {}): Promise<BatchDeleteResult> {
  const result: BatchDeleteResult = { responses: [], deleted: [], errors: [] };
  const { Quiet, ...rest } = params;
  for (let start = 0; start < objects.length; start += MAX_KEYS_PER_DELETE) {
    const batch = objects.slice(start, start + MAX_KEYS_PER_DELETE);
    const output = await explained(client.send(new DeleteObjectsCommand({ ...rest, Bucket: bucket, Delete: { Objects: batch, Quiet } })));
    addTo(result, output);
  }
  return result;
}

function addTo(result: BatchDeleteResult, output: DeleteObjectsCommandOutput): void {
  result.responses.push(output);
  result.deleted.push(...(output.Deleted ?? []));
  result.errors.push(...(output.Errors ?? []));
}

/** A listing whose items can be deleted in a batch: where they live, and how each becomes a DeleteObjects entry. */
export interface DeletableSource<T, Params> extends CollectionSource<T, Params> {
  readonly client: S3Client;
  readonly bucketName: string;
  identify(item: T): ObjectIdentifier;
}

/** A collection of objects or object versions, with boto3's batch `delete()`. */
export class DeletableCollection<T, Params extends object> extends ResourceCollection<T, Params, DeletableSource<T, Params>> {
  /**
   * Deletes every item of this collection (after `filter`/`limit`), one DeleteObjects per page
   * of at most 1,000 keys, with DeleteObjects' other parameters (`{ Quiet: true }`, `MFA`, ...)
   * (boto3's `bucket.objects.filter(Prefix=...).delete(Quiet=True)`).
   */
  async delete(params: BatchDeleteParams = {}): Promise<BatchDeleteResult> {
    const { client, bucketName } = this.source;
    const result: BatchDeleteResult = { responses: [], deleted: [], errors: [] };
    for await (const page of this.pages()) {
      const done = await deleteInBatches(client, bucketName, page.map((item) => this.source.identify(item)), params);
      done.responses.forEach((output) => addTo(result, output));
    }
    return result;
  }
}
