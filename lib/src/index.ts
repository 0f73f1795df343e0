/**
 * s3kit: learn Amazon S3 from TypeScript the way boto3 teaches it in Python, with the low-level
 * client and the object-oriented resource side by side.
 */
export { connect, createClient, defaultClient, LOCAL_CREDENTIALS, otherUserCredentials, type Connection, type ConnectOptions } from "./client/connect";
export { resolveTarget, describeTarget, type Target, type TargetOptions } from "./client/target";
export {
  S3KitError,
  isNotFound,
  explain,
  explained,
  explainAfterCheck,
  requestContextOf,
  s3Url,
  type KitErrorCode,
  type RequestContext,
  type ResponseMetadata,
  type S3KitErrorCode,
} from "./errors";
export { keyProblem, validateKey, MAX_KEY_BYTES } from "./keys";
export { contentTypeFor } from "./content-type";
export { startLocalServer, DEFAULT_PORT, S3RVER_CREDENTIALS, type LocalServer, type LocalServerOptions } from "./server/local-server";
export { startKitServer, stopKitServer, findKitServer, answersLikeS3, type KitServer, type KitServerInfo } from "./server/kit-server";
export { chooseEngine, CEPH_ONLY, ENGINE_LABELS, type EngineName, type EngineChoice } from "./server/engine";
export { superviseServer } from "./server/supervise";
export type { S3Credentials, ClusterCredentials } from "./server/ceph";
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
