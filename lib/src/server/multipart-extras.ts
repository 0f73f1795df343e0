/**
 * The two multipart calls s3rver 3.7.1 lacks, served in front of it by the kit's server process:
 * ListMultipartUploads (`GET /bucket?uploads`, s3rver answers 501) and AbortMultipartUpload
 * (`DELETE /bucket/key?uploadId=...`, s3rver answers 405). Without them a failed multipart upload
 * could neither be found nor cleaned up. s3rver keeps an upload's parts in
 * `<dataDir>/<bucket>/._S3rver_uploads/<uploadId>/` next to files `key` and `metadata`.
 */
import { existsSync, promises as fs, readdirSync, readFileSync, rmSync } from "node:fs";
import type http from "node:http";
import path from "node:path";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Wraps s3rver's request handler; every other request goes to s3rver unchanged. */
export function withMultipartExtras(directory: string, s3rver: Handler): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const [bucket, ...keyParts] = url.pathname.slice(1).split("/").map(decodeURIComponent);
    const key = keyParts.join("/");
    const uploadsDir = bucket ? path.join(directory, bucket, "._S3rver_uploads") : "";
    if (bucket && req.method === "GET" && key === "" && url.searchParams.has("uploads")) {
      void listUploads(bucket, uploadsDir, url.searchParams.get("prefix") ?? "").then((xml) => reply(res, 200, xml), () => reply(res, 500, ""));
    } else if (bucket && req.method === "DELETE" && key !== "" && url.searchParams.has("uploadId")) {
      void abortUpload(uploadsDir, url.searchParams.get("uploadId")!, key).then(
        (found) => (found ? reply(res, 204, "") : reply(res, 404, errorXml("NoSuchUpload", "The specified upload does not exist."))),
        () => reply(res, 500, ""),
      );
    } else {
      s3rver(req, res);
    }
  };
}

export function reply(res: http.ServerResponse, status: number, xml: string): void {
  res.writeHead(status, xml ? { "Content-Type": "application/xml" } : {}).end(xml);
}

export const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function errorXml(code: string, message: string, detail: Record<string, string> = {}): string {
  const fields = Object.entries(detail).map(([name, value]) => `<${name}>${value}</${name}>`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>${fields}</Error>`;
}

async function listUploads(bucket: string, uploadsDir: string, prefix: string): Promise<string> {
  const ids = existsSync(uploadsDir) ? await fs.readdir(uploadsDir) : [];
  const uploads: string[] = [];
  for (const id of ids.sort()) {
    const dir = path.join(uploadsDir, id);
    // A part that arrived after its upload was aborted recreates the folder without a `key` file.
    const key = await fs.readFile(path.join(dir, "key"), "utf8").catch(() => "");
    if (!key.startsWith(prefix)) continue;
    const initiated = (await fs.stat(dir)).birthtime.toISOString();
    uploads.push(`<Upload><Key>${escapeXml(key)}</Key><UploadId>${escapeXml(id)}</UploadId><Initiated>${initiated}</Initiated></Upload>`);
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Bucket>${escapeXml(bucket)}</Bucket><Prefix>${escapeXml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
    `${uploads.join("")}</ListMultipartUploadsResult>`
  );
}

async function abortUpload(uploadsDir: string, uploadId: string, key: string): Promise<boolean> {
  const dir = path.join(uploadsDir, path.basename(uploadId));
  const storedKey = await fs.readFile(path.join(dir, "key"), "utf8").catch(() => undefined);
  if (!existsSync(dir) || (storedKey !== undefined && storedKey !== key)) return false;
  await fs.rm(dir, { recursive: true, force: true });
  return true;
}

/**
 * Removes the multipart uploads a previous run of the server left behind, and says which
 * (`bucket/key` each). An upload interrupted because the server stopped can no longer be aborted
 * by the client that started it; on AWS a lifecycle rule (AbortIncompleteMultipartUpload) or
 * `abortIncompleteUploads()` cleans such parts up, here the server does it when it starts again.
 */
export function discardInterruptedUploads(directory: string): string[] {
  const discarded: string[] = [];
  for (const bucket of existsSync(directory) ? readdirSync(directory) : []) {
    const uploadsDir = path.join(directory, bucket, "._S3rver_uploads");
    if (!existsSync(uploadsDir)) continue;
    for (const id of readdirSync(uploadsDir)) {
      const keyFile = path.join(uploadsDir, id, "key");
      discarded.push(`${bucket}/${existsSync(keyFile) ? readFileSync(keyFile, "utf8") : id}`);
      rmSync(path.join(uploadsDir, id), { recursive: true, force: true });
    }
  }
  return discarded;
}
