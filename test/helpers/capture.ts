import { createClient } from "s3kit";
import type { S3Client } from "@aws-sdk/client-s3";

export interface SentRequest {
  /** The SDK command's name without "Command", e.g. "ListObjectsV2". */
  command: string;
  input: Record<string, unknown>;
}

/**
 * A fresh client for `endpoint` that records every command it sends (name and input, before the
 * SDK serializes it), to check what a resource sends, including to operations s3rver lacks.
 */
export function capturingClient(endpoint: string): { client: S3Client; sent: SentRequest[] } {
  const client = createClient({ kind: "local", endpoint, region: "us-east-1" });
  const sent: SentRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // Paginators pass unset fields as undefined; they are not sent, so they are not recorded.
      const input = Object.fromEntries(Object.entries(args.input as Record<string, unknown>).filter(([, value]) => value !== undefined));
      sent.push({ command: context.commandName!.replace(/Command$/, ""), input });
      return next(args);
    },
    { step: "initialize", name: "captureForTests" },
  );
  return { client, sent };
}
