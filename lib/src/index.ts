/**
 * s3kit: learn Amazon S3 from TypeScript the way boto3 teaches it in Python, with the low-level
 * client and the object-oriented resource side by side.
 */
export { connect, createClient, defaultClient, LOCAL_CREDENTIALS, type Connection, type ConnectOptions } from "./client/connect";
export { resolveTarget, describeTarget, type Target, type TargetOptions } from "./client/target";
export { S3KitError, isNotFound, explain, explained, s3Url, requestContextOf, type RequestContext, type S3KitErrorCode } from "./errors";
export { contentTypeFor } from "./content-type";
export { startLocalServer, DEFAULT_PORT, type LocalServer, type LocalServerOptions } from "./server/local-server";
export { startKitServer, findKitServer, answersLikeS3 } from "./server/kit-server";
export { seedKitData, seedManifest, generateSensorCsv, type SeedManifest } from "./server/seed";
export { kitPaths } from "./server/paths";
export * from "./resources";
export * from "./collections";
export * from "./transfers";
export * from "./presign";
export * from "./csv";
export * from "./display";
export * from "./trace";
export * from "./session";
