// S3 CSV <-> danfo DataFrame, the way pandas.read_csv / to_csv work on s3:// URLs.
export { readCsv, readCsvChunks, type ReadCsvOptions, type ReadCsvChunksOptions } from "./read";
export { writeCsv, type WriteCsvOptions } from "./write";
export { parseS3Url, type CsvLocation, type ObjectLike } from "./location";
export { PANDAS_NA_VALUES, type CsvDtype } from "./columns";
export type { Compression } from "./body";
