/**
 * The corpus of awkward CSVs in fixtures/csv/: how each is read (s3kit options and the same in
 * pandas' words) and what must come out, written down for machines without pandas.
 */
import type { ReadCsvOptions } from "s3kit";

/** A cell as the tests compare it: null for missing, Dates as they are. */
export type Cell = number | string | boolean | Date | null;

export interface CorpusCase {
  name: string;
  file: string;
  /** The key to store it under (default: the file name). */
  key?: string;
  gzip?: boolean;
  options?: ReadCsvOptions;
  pandas?: Record<string, unknown>;
  columns: string[];
  rows: Cell[][];
  /** Whether pandas gives back an equal frame after to_csv + read_csv (checked against pandas when present). */
  roundtrips: boolean;
}

const d = (iso: string) => new Date(iso);

export const CORPUS: CorpusCase[] = [
  {
    name: "quoted commas, embedded quotes and newlines",
    file: "quoted.csv",
    columns: ["id", "name", "note"],
    rows: [[1, "Smith, John", 'said "hi"'], [2, "multi\nline", "a,b,c"], [3, "plain", "  padded  "]],
    roundtrips: true,
  },
  {
    name: "CRLF line ends, one inside a quoted field",
    file: "crlf.csv",
    columns: ["id", "city", "temp"],
    rows: [[1, "Zürich", -3.5], [2, "Oslo,\r\nNorway", 0.25], [3, "Lima", 19]],
    roundtrips: true,
  },
  { name: "UTF-8 BOM", file: "bom.csv", columns: ["code", "label"], rows: [[1, "one"], [2, "two"]], roundtrips: true },
  {
    name: "multi-byte characters",
    file: "multibyte.csv",
    columns: ["word", "lang"],
    rows: [["naïve", "fr"], ["日本語", "ja"], ["русский", "ru"], ["👋🏽 hello", "emoji"], ["Σίσυφος", "el"]],
    roundtrips: true,
  },
  {
    name: "empty fields are missing values",
    file: "empty-fields.csv",
    columns: ["a", "b", "c", "d"],
    rows: [[1, null, "x", null], [null, 2.5, null, null], [3, 4.5, "z", null]],
    roundtrips: true,
  },
  {
    name: "leading zeros, inferred as numbers like pandas does",
    file: "leading-zeros.csv",
    columns: ["zip", "count"],
    rows: [[123, 1], [2134, 2], [10001, 3]],
    roundtrips: true,
  },
  {
    name: "leading zeros kept by a string dtype",
    file: "leading-zeros.csv",
    options: { dtype: { zip: "string" } },
    pandas: { dtype: { zip: "str" } },
    columns: ["zip", "count"],
    rows: [["00123", 1], ["02134", 2], ["10001", 3]],
    roundtrips: true,
  },
  {
    name: "integers beyond 32 bits exact, beyond 2^53 as strings",
    file: "large-ints.csv",
    columns: ["small", "big", "huge"],
    rows: [[1, 4294967297, "9007199254740993"], [-2, 1099511627776, "-9223372036854775807"], [3, -8589934592, "12345678901234567"]],
    roundtrips: true,
  },
  {
    name: "scientific notation and float64 digits",
    file: "scientific.csv",
    columns: ["x", "y"],
    rows: [[1e5, 0.1], [1.5e-10, 1.2345678901234567], [-2.5e300, 3.141592653589793], [6.02214076e23, -1e-7]],
    roundtrips: true,
  },
  {
    name: "booleans",
    file: "booleans.csv",
    columns: ["flag", "maybe", "word"],
    rows: [[true, true, "yes"], [false, null, "no"], [false, false, "yes"]],
    roundtrips: true,
  },
  {
    name: "dates parsed for named columns",
    file: "dates.csv",
    options: { parseDates: ["day", "at"] },
    pandas: { parse_dates: ["day", "at"] },
    columns: ["day", "at", "label"],
    rows: [
      [d("2024-01-31T00:00:00Z"), d("2024-01-31T08:30:00Z"), "a"],
      [d("2024-02-29T00:00:00Z"), d("2024-02-29T23:59:59.500Z"), "b"],
      [d("2024-12-01T00:00:00Z"), null, "c"],
    ],
    roundtrips: true,
  },
  {
    name: "dates left as text without parseDates",
    file: "dates.csv",
    columns: ["day", "at", "label"],
    rows: [["2024-01-31", "2024-01-31 08:30:00", "a"], ["2024-02-29", "2024-02-29T23:59:59.5", "b"], ["2024-12-01", null, "c"]],
    roundtrips: true,
  },
  {
    name: "ragged rows: short ones padded with missing values",
    file: "ragged.csv",
    columns: ["a", "b", "c"],
    rows: [[1, 2, 3], [4, 5, null], [6, null, null], [7, 8, 9]],
    roundtrips: true,
  },
  {
    name: "a line with too many fields, skipped",
    file: "too-many-fields.csv",
    options: { onBadLines: "skip" },
    pandas: { on_bad_lines: "skip" },
    columns: ["a", "b", "c"],
    rows: [[1, 2, 3], [8, 9, 10]],
    roundtrips: true,
  },
  { name: "header only", file: "header-only.csv", columns: ["alpha", "beta", "gamma"], rows: [], roundtrips: true },
  { name: "empty object", file: "empty.csv", columns: [], rows: [], roundtrips: false },
  {
    name: "delimiter detected",
    file: "semicolon.csv",
    options: { delimiter: "auto" },
    pandas: { sep: null, engine: "python" },
    columns: ["name", "price", "qty"],
    rows: [["widget", "1,5", 3], ["gadget", "2,25", 4]],
    roundtrips: true,
  },
  {
    name: "pandas' default missing markers",
    file: "na-markers.csv",
    columns: ["k", "v", "s"],
    rows: [["a", null, null], ["b", null, null], ["c", "-", null], ["d", "7", "-"]],
    roundtrips: true,
  },
  {
    name: "extra missing markers",
    file: "na-markers.csv",
    options: { naValues: ["-"] },
    pandas: { na_values: ["-"] },
    columns: ["k", "v", "s"],
    rows: [["a", null, null], ["b", null, null], ["c", null, null], ["d", 7, null]],
    roundtrips: true,
  },
  {
    name: "repeated and empty column names",
    file: "duplicate-columns.csv",
    columns: ["a", "a.1", "Unnamed: 2", "b"],
    rows: [[1, 2, 3, 4], [5, 6, 7, 8]],
    roundtrips: true,
  },
  {
    name: "gzip by suffix",
    file: "quoted.csv",
    key: "quoted.csv.gz",
    gzip: true,
    columns: ["id", "name", "note"],
    rows: [[1, "Smith, John", 'said "hi"'], [2, "multi\nline", "a,b,c"], [3, "plain", "  padded  "]],
    roundtrips: true,
  },
  {
    name: "gzip by magic bytes",
    file: "multibyte.csv",
    key: "gzipped-without-suffix.csv",
    gzip: true,
    pandas: { compression: "gzip" },
    columns: ["word", "lang"],
    rows: [["naïve", "fr"], ["日本語", "ja"], ["русский", "ru"], ["👋🏽 hello", "emoji"], ["Σίσυφος", "el"]],
    roundtrips: true,
  },
  {
    name: "usecols by name and position, nrows",
    file: "large-ints.csv",
    options: { usecols: ["huge", 0], nrows: 2 },
    pandas: { usecols: ["huge", "small"], nrows: 2 },
    columns: ["small", "huge"],
    rows: [[1, "9007199254740993"], [-2, "-9223372036854775807"]],
    roundtrips: true,
  },
  {
    name: "skiprows by position, no header",
    file: "leading-zeros.csv",
    options: { skiprows: [0, 2], header: false },
    pandas: { skiprows: [0, 2], header: null },
    columns: ["0", "1"],
    rows: [[123, 1], [10001, 3]],
    roundtrips: false, // pandas' column labels are the integers 0 and 1, which come back as the strings "0" and "1"
  },
];
