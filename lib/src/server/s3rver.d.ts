// s3rver ships no types; these are the parts of its API the kit uses.
declare module "s3rver" {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
  }
  class S3rver {
    constructor(options: S3rverOptions);
    /** The request handler (s3rver is a Koa app), for an http.Server of one's own. */
    callback(): (request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => void;
  }
  export = S3rver;
}
