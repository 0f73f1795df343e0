/** A column type to declare with `dtype` (pandas: str, int64, float64, bool, datetime64). */
export type CsvDtype = "string" | "int" | "float" | "boolean" | "date";

/** danfo's labels for them. Its "int32"/"float32" are only labels: the values stay float64 numbers. */
export const DANFO_DTYPE: Record<CsvDtype, string> = { string: "string", int: "int32", float: "float32", boolean: "boolean", date: "datetime" };

/** pandas' default missing-value markers (`na_values`, `keep_default_na=True`). */
export const PANDAS_NA_VALUES = [
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
  "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/**
 * A set of missing-value markers that answers "no" for most fields without hashing them: a field is
 * looked up only if some marker has its first character and its length (one bit per length, per
 * ASCII first character). Every field of every row goes through `has`.
 */
export class MissingMarkers {
  private readonly markers: Set<string>;
  private readonly lengthsByFirstChar = new Uint32Array(128);

  constructor(markers: Iterable<string>) {
    this.markers = new Set(markers);
    for (const marker of this.markers) {
      const first = marker.charCodeAt(0);
      if (first < 128 && marker.length < 32) this.lengthsByFirstChar[first] |= 1 << marker.length;
    }
  }

  has(text: string): boolean {
    const first = text.charCodeAt(0); // NaN for "", which fails `first < 128`
    const possible = first < 128 && text.length < 32 ? (this.lengthsByFirstChar[first] >>> text.length) & 1 : 1;
    return possible === 1 && this.markers.has(text);
  }
}

/** pandas' default `true_values`/`false_values`. */
const BOOLEANS = new Map<string, boolean>([["True", true], ["TRUE", true], ["true", true], ["False", false], ["FALSE", false], ["false", false]]);
/**
 * The shared copy of a boolean text, so that a boolean column holds pointers to six strings rather
 * than a string per row; undefined for any other text. Compared rather than looked up in a Map:
 * every field of a boolean column comes here, and a Map would first hash each new string.
 */
function booleanSpelling(text: string): string | undefined {
  switch (text) {
    case "true": return "true";
    case "false": return "false";
    case "True": return "True";
    case "False": return "False";
    case "TRUE": return "TRUE";
    case "FALSE": return "FALSE";
    default: return undefined;
  }
}

const INFINITY = /^([+-]?)inf(?:inity)?$/i;

const NOT_NUMERIC = 0;
const INTEGER = 1;
const DECIMAL = 2;

/** 10^0 to 10^15: each one a float64 exactly (every power of ten up to 10^22 is). */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** The value of the text numericForm last found numeric: kept outside its result so that the scan allocates nothing. */
let scannedValue = 0;
/**
 * Whether that text is certainly `String(scannedValue)`, as far as the scan could tell for free: a
 * text of at most 15 characters, without "+", exponent, leading zero, bare "." or trailing zero
 * after the ".", is the shortest form of its number (the rule `reproduces` spells out). When false,
 * `reproduces` decides; most fields of a numeric column never need it.
 */
let scannedPlain = false;

/**
 * Whether a text is an integer (`-12`), another decimal number (`1.5`, `.5`, `1e-3`) or neither: the
 * forms pandas' C parser accepts, leaving the number in `scannedValue`. A hand-written scan: this
 * runs once per field, and a regular expression is several times slower. Up to 15 digits without an
 * exponent, the digits as an integer (exact below 2^53) divided by an exact power of ten is the
 * correctly rounded float64, the same as Number(text) and cheaper (Clinger's fast path).
 */
function numericForm(text: string): number {
  const length = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (c === 43 || c === 45) c = text.charCodeAt(++i); // + -
  const firstDigit = c;
  let digits = 0;
  let mantissa = 0;
  while (c >= 48 && c <= 57) { digits++; mantissa = mantissa * 10 + (c - 48); c = text.charCodeAt(++i); }
  // "+", a leading "0" (but "0.5"), no digit before the "." or more than 15 characters: not plain.
  const plainStart = length <= 15 && text.charCodeAt(0) !== 43 && digits > 0 && (firstDigit !== 48 || (digits === 1 && c === 46));
  if (i === length) {
    if (!digits) return NOT_NUMERIC;
    scannedValue = digits <= 15 ? (negative ? -mantissa : mantissa) : Number(text);
    scannedPlain = plainStart;
    return INTEGER;
  }
  const integerDigits = digits;
  if (c === 46) { // .
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) { digits++; mantissa = mantissa * 10 + (c - 48); c = text.charCodeAt(++i); }
    if (!digits) return NOT_NUMERIC;
  }
  if (!digits) return NOT_NUMERIC;
  if (c === 101 || c === 69) { // e E
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    const start = i;
    while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
    if (i === start || i !== length) return NOT_NUMERIC;
    scannedValue = Number(text);
    scannedPlain = false;
    return DECIMAL;
  }
  if (i !== length) return NOT_NUMERIC;
  const scaled = mantissa / POWERS_OF_TEN[digits - integerDigits];
  scannedValue = digits <= 15 ? (negative ? -scaled : scaled) : Number(text);
  // A fraction ending in a digit other than 0 ("1." and "1.50" are not plain).
  // A fraction ending in a digit other than 0 ("1." and "1.50" are not plain), and a size JS writes without an exponent.
  scannedPlain = plainStart && digits > integerDigits && text.charCodeAt(length - 1) !== 48 && scaled >= 1e-6;
  return DECIMAL;
}

/** The float64 a decimal text denotes (JS rounds correctly, as pandas' round_trip does), or undefined. */
export function parseNumber(text: string): number | undefined {
  if (numericForm(text) !== NOT_NUMERIC) return scannedValue;
  const inf = INFINITY.exec(text);
  return inf ? (inf[1] === "-" ? -Infinity : Infinity) : undefined;
}

/**
 * Whether `String(n)` gives back `text` exactly, without paying for String(n) in the common case.
 * Up to 15 significant digits name a float64 uniquely, so a text of at most 15 characters is the
 * shortest form of its number unless its formatting differs: a sign "+", "-0", leading or trailing
 * zeros, a bare "." at either end, an exponent, or a size JS writes with an exponent.
 */
export function reproduces(text: string, n: number): boolean {
  if (text.length > 15 || n === 0 || !Number.isFinite(n) || text.includes("e") || text.includes("E")) return String(n) === text;
  const body = text.charCodeAt(0) === 45 ? text.slice(1) : text;
  if (body.charCodeAt(0) === 43 || body.charCodeAt(0) === 46) return false; // + .
  if (body.charCodeAt(0) === 48 && body.length > 1 && body.charCodeAt(1) !== 46) return false; // 0 then not .
  const last = body.charCodeAt(body.length - 1);
  if (body.includes(".") && (last === 48 || last === 46)) return false; // trailing 0 or .
  const size = Math.abs(n);
  return size >= 1e-6 && size < 1e21;
}

/** `YYYY-MM-DD`, optionally with a time and a zone; a time without a zone is read as UTC, never local time. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function parseDate(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(fraction || 0) * 1000));
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
  }
  const date = new Date(ms);
  return Number.isNaN(ms) || date.getUTCDate() !== +d ? undefined : date;
}

/** How many different texts a string column shares before it stops trying. */
const SHARED_TEXTS = 1024;

type Kind = "undecided" | "number" | "boolean" | "string";

/**
 * One column's values, typed as they arrive the way pandas infers a column: numbers if every
 * present value is numeric, booleans if every one is True/False, else strings. Numbers are kept as
 * float64 (exact); the few texts a number does not reproduce ("007", "1.50") are remembered, so
 * that a column that turns out to be text gets its original texts back. An integer beyond 2^53
 * cannot be a float64 exactly, so it makes its column a string column.
 */
export class ColumnBuilder {
  private kind: Kind = "undecided";
  private missingSoFar = 0;
  private integers = true;
  private hasMissing = false;
  private numbers: number[] = [];
  /** The positions (ascending) and original texts of the numbers String(n) does not reproduce. */
  private textPositions: number[] = [];
  private texts: string[] = [];
  private values: (string | boolean | null)[] = [];
  private seen: Map<string, string> | undefined = new Map();

  constructor(
    readonly name: string,
    readonly declared?: CsvDtype,
  ) {
    if (declared === "string" || declared === "date") this.kind = "string";
  }

  get length(): number {
    return this.kind === "undecided" ? this.missingSoFar : this.kind === "number" ? this.numbers.length : this.values.length;
  }

  pushMissing(): void {
    this.hasMissing = true;
    if (this.kind === "undecided") this.missingSoFar++;
    else if (this.kind === "number") this.numbers.push(NaN);
    else this.values.push(null);
  }

  /**
   * Adds field `field` of each row (missing when a row is short or the text is a missing marker).
   * Column by column rather than row by row: the loop runs one column's code and state over a whole
   * batch. Returns the index of the first row whose text contradicts the declared dtype, else -1.
   */
  pushField(rows: string[][], field: number, missing: MissingMarkers): number {
    for (let r = 0; r < rows.length; r++) {
      const text = rows[r][field];
      if (text === undefined || missing.has(text)) this.pushMissing();
      else if (!this.push(text)) return r;
    }
    return -1;
  }

  /** Adds a present value; false when it contradicts the column's declared dtype. */
  push(text: string): boolean {
    if (this.kind === "undecided") this.decide(text);
    if (this.kind === "number") {
      const form = numericForm(text);
      const n = form === NOT_NUMERIC ? parseNumber(text) : scannedValue;
      const integer = form === INTEGER;
      if (n !== undefined && !(integer && !Number.isSafeInteger(n)) && (integer || this.declared !== "int")) {
        if (!integer) this.integers = false;
        if (!(form !== NOT_NUMERIC && scannedPlain) && !reproduces(text, n)) {
          this.textPositions.push(this.numbers.length);
          this.texts.push(text);
        }
        this.numbers.push(n);
        return true;
      }
      if (this.declared) return false;
      this.becomeStrings();
    } else if (this.kind === "boolean") {
      const spelling = booleanSpelling(text);
      if (spelling !== undefined) {
        this.values.push(spelling);
        return true;
      }
      if (this.declared) return false;
      this.kind = "string";
    }
    this.values.push(this.shared(text));
    return true;
  }

  /**
   * The first copy of a text this column has seen, while it has seen few different ones: a column of
   * repeated labels then holds pointers to a handful of strings, and each parsed copy dies young,
   * which the garbage collector frees far more cheaply than a million survivors.
   */
  private shared(text: string): string {
    const seen = this.seen;
    if (seen === undefined) return text;
    const first = seen.get(text);
    if (first !== undefined) return first;
    if (seen.size === SHARED_TEXTS) this.seen = undefined; // a column of mostly distinct texts: stop looking
    else seen.set(text, text);
    return text;
  }

  /** The column's danfo dtype and values: NaN marks a missing number, null any other missing value. */
  finish(parseAsDate: boolean): { dtype: string; values: unknown[] } {
    // pandas: a column with no rows at all is object (danfo: "string") unless its dtype is declared.
    if (this.length === 0) return { dtype: this.declared ? DANFO_DTYPE[this.declared] : "string", values: [] };
    if (this.kind === "undecided") {
      const type = this.declared ?? "float"; // pandas: a column with no values is float64 NaN
      const empty = type === "int" || type === "float" ? NaN : null;
      return { dtype: DANFO_DTYPE[type === "int" ? "float" : type], values: new Array(this.missingSoFar).fill(empty) };
    }
    if (this.kind === "number") {
      const asInt = this.declared !== "float" && this.integers && !this.hasMissing;
      return { dtype: DANFO_DTYPE[asInt ? "int" : "float"], values: this.numbers };
    }
    if (this.kind === "boolean") {
      // pandas has no missing value in a bool column: True/False with a gap is object, its values
      // still True, False and NaN. danfo's "string" is its object.
      const dtype = this.hasMissing && !this.declared ? "string" : "boolean";
      return { dtype, values: this.values.map((v) => (v === null ? null : BOOLEANS.get(v as string)!)) };
    }
    if (parseAsDate || this.declared === "date") {
      const dates = this.values.map((v) => (v === null ? null : parseDate(v as string)));
      if (!dates.includes(undefined)) return { dtype: "datetime", values: dates };
    }
    return { dtype: "string", values: this.values };
  }

  private decide(text: string): void {
    const declared = this.declared;
    const kind: Kind =
      declared === "int" || declared === "float" ? "number"
      : declared === "boolean" ? "boolean"
      : parseNumber(text) !== undefined ? "number"
      : BOOLEANS.has(text) ? "boolean"
      : "string";
    this.kind = kind;
    const empty = kind === "number" ? NaN : null;
    for (let i = 0; i < this.missingSoFar; i++) (kind === "number" ? this.numbers : this.values).push(empty as never);
  }

  private becomeStrings(): void {
    let next = 0;
    this.values = this.numbers.map((n, i) => (this.textPositions[next] === i ? this.texts[next++] : Number.isNaN(n) ? null : String(n)));
    this.numbers = [];
    this.textPositions = [];
    this.texts = [];
    this.kind = "string";
  }
}
