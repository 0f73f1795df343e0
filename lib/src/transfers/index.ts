// Managed transfers: boto3's upload_file / download_file / download_fileobj / copy, with progress and cancellation.
export { type TransferConfig, type TransferOptions } from "./config";
export { uploadData, abortIncompleteUploads, type UploadOptions, type UploadResult } from "./upload";
export { uploadFile } from "./upload-file";
export { downloadFile, type DownloadResult } from "./download";
export { downloadFileobj, type StreamDownloadResult } from "./download-stream";
export { uploadDirectory, downloadPrefix } from "./folders";
export { copyObject, type CopyOptions, type ObjectLocation } from "./copy";
export { progressDisplay, describeProgress, type TransferProgress, type ProgressOption } from "./progress";
