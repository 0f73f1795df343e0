/**
 * Paginators for the listings the SDK ships none for: ListObjects (v1), ListObjectVersions and
 * ListMultipartUploads. They page with markers rather than a continuation token, and are
 * shaped like the SDK's own (`paginateListObjectsV2({ client, pageSize }, input)`).
 */
import {
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectVersionsCommand,
  type ListMultipartUploadsCommandInput,
  type ListMultipartUploadsCommandOutput,
  type ListObjectsCommandInput,
  type ListObjectsCommandOutput,
  type ListObjectVersionsCommandInput,
  type ListObjectVersionsCommandOutput,
  type S3PaginationConfiguration,
} from "@aws-sdk/client-s3";
/** The SDK paginators' own shape (`Paginator` from @smithy/types, which s3kit does not depend on directly). */
type Paginator<T> = AsyncGenerator<T, undefined, unknown>;

/**
 * Sends `input`, then `input` plus the markers `next` finds in each answer, until `next` finds
 * none (the listing is complete).
 */
async function* paginateByMarkers<Input extends object, Output>(
  send: (input: Input) => Promise<Output>,
  input: Input,
  next: (output: Output) => Partial<Input> | undefined,
): Paginator<Output> {
  let request = input;
  for (;;) {
    const output = await send(request);
    yield output;
    const markers = next(output);
    if (!markers) return undefined;
    request = { ...request, ...markers };
  }
}

/** ListObjects (v1): NextMarker is only sent with a Delimiter; otherwise the last key is the marker. */
export function paginateListObjects(config: S3PaginationConfiguration, input: ListObjectsCommandInput): Paginator<ListObjectsCommandOutput> {
  return paginateByMarkers(
    (request) => config.client.send(new ListObjectsCommand(request)),
    { ...input, ...(config.pageSize !== undefined && { MaxKeys: config.pageSize }) },
    (page) => {
      if (!page.IsTruncated) return undefined;
      const marker = page.NextMarker ?? page.Contents?.at(-1)?.Key;
      return marker === undefined ? undefined : { Marker: marker };
    },
  );
}

/** ListObjectVersions: continues from NextKeyMarker + NextVersionIdMarker. */
export function paginateListObjectVersions(
  config: S3PaginationConfiguration,
  input: ListObjectVersionsCommandInput,
): Paginator<ListObjectVersionsCommandOutput> {
  return paginateByMarkers(
    (request) => config.client.send(new ListObjectVersionsCommand(request)),
    { ...input, ...(config.pageSize !== undefined && { MaxKeys: config.pageSize }) },
    (page) => (page.IsTruncated ? { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker } : undefined),
  );
}

/** ListMultipartUploads: continues from NextKeyMarker + NextUploadIdMarker. */
export function paginateListMultipartUploads(
  config: S3PaginationConfiguration,
  input: ListMultipartUploadsCommandInput,
): Paginator<ListMultipartUploadsCommandOutput> {
  return paginateByMarkers(
    (request) => config.client.send(new ListMultipartUploadsCommand(request)),
    { ...input, ...(config.pageSize !== undefined && { MaxUploads: config.pageSize }) },
    (page) => (page.IsTruncated ? { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker } : undefined),
  );
}
