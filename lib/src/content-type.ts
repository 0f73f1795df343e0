import path from "node:path";

const TYPES: Record<string, string> = {
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".json": "application/json",
  ".html": "text/html; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".xml": "application/xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
  ".gz": "application/gzip",
  ".zip": "application/zip",
  ".parquet": "application/vnd.apache.parquet",
};

/** The Content-Type S3 should store for a key, guessed from its extension like boto3's `mimetypes` use. */
export function contentTypeFor(key: string): string {
  return TYPES[path.extname(key).toLowerCase()] ?? "application/octet-stream";
}
