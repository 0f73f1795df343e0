/**
 * Bucket configurations s3rver 3.7.1 has no route for: its router does not know the `versioning`
 * and `logging` sub-resources, so `PUT /bucket?versioning` (PutBucketVersioning) and
 * `PUT /bucket?logging` (PutBucketLogging) reached CreateBucket and answered "bucket already
 * exists". Served here with S3's answer for a feature a server lacks: 501 NotImplemented.
 */
import type http from "node:http";
import { errorXml, reply } from "./multipart-extras";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const MISSING: Record<string, string> = {
  versioning: "bucket versioning",
  logging: "bucket logging",
};

/** Wraps s3rver's request handler; every other request goes to s3rver unchanged. */
export function withMissingSubresources(s3rver: Handler): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const [bucket, ...rest] = url.pathname.slice(1).split("/");
    const feature = Object.keys(MISSING).find((name) => url.searchParams.has(name));
    if (req.method !== "PUT" || !feature || !bucket || rest.some(Boolean)) return s3rver(req, res);
    // The body is not read: drop it rather than leave the client waiting to send it.
    req.resume();
    reply(res, 501, errorXml("NotImplemented", `The kit's s3rver engine has no ${MISSING[feature]}; the Ceph engine (the default) has it.`));
  };
}
