/**
 * DeleteObjects (`POST /bucket?delete`), served by the kit in front of s3rver 3.7.1, whose XML
 * parser trims every key and reads number-like ones as numbers: it answered "deleted" for
 * `report.txt ` (trailing space) and kept it, and failed on a key like `007`. Here the keys are
 * read verbatim and each goes through the kit's store, so the key guard applies to them too.
 */
import type http from "node:http";
import type { SafeFilesystemStore } from "./safe-store";
import { errorXml, escapeXml, reply } from "./multipart-extras";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Wraps s3rver's request handler; every other request goes to s3rver unchanged. */
export function withDeleteObjects(store: SafeFilesystemStore, s3rver: Handler): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const [bucket, ...rest] = url.pathname.slice(1).split("/");
    if (req.method !== "POST" || !url.searchParams.has("delete") || !bucket || rest.some(Boolean)) return s3rver(req, res);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      deleteObjects(store, decodeURIComponent(bucket), Buffer.concat(chunks).toString("utf8")).then(
        ({ status, xml }) => reply(res, status, xml),
        () => reply(res, 500, errorXml("InternalError", "We encountered an internal error. Please try again.")),
      );
    });
  };
}

async function deleteObjects(store: SafeFilesystemStore, bucket: string, xml: string): Promise<{ status: number; xml: string }> {
  if (!(await store.getBucket(bucket).catch(() => null))) {
    return { status: 404, xml: errorXml("NoSuchBucket", "The specified bucket does not exist") };
  }
  const keys = [...xml.matchAll(/<Object>[\s\S]*?<Key>([\s\S]*?)<\/Key>[\s\S]*?<\/Object>/g)].map(([, key]) => decodeXml(key));
  if (keys.length === 0) {
    return { status: 400, xml: errorXml("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.") };
  }
  const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(xml);
  const results: string[] = [];
  // One at a time: s3rver's deleteObject removes emptied folders, which parallel deletes would race on.
  for (const key of keys) {
    try {
      if (await store.existsObject(bucket, key)) await store.deleteObject(bucket, key);
      if (!quiet) results.push(`<Deleted><Key>${escapeXml(key)}</Key></Deleted>`);
    } catch (error) {
      const { code = "InternalError", message = "" } = error as { code?: string; message?: string };
      results.push(`<Error><Key>${escapeXml(key)}</Key><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>`);
    }
  }
  return {
    status: 200,
    xml: `<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${results.join("")}</DeleteResult>`,
  };
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1].toLowerCase() === "x" ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name] ?? entity;
  });
}
