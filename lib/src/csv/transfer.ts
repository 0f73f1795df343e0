import type { ColumnValues } from "./columns";

/**
 * A finished column on its way from the worker thread to the main one. Copying a million values
 * one by one is what costs there, so numbers travel as a Float64Array (moved, not copied) and a
 * column of few distinct values (labels, booleans) as one small integer per row and a dictionary.
 */
export interface TransferredColumn {
  dtype: string;
  numbers?: Float64Array;
  codes?: Uint16Array;
  dictionary?: unknown[];
  values?: unknown[];
}

const MAX_DICTIONARY = 65_535;

export function packColumn({ dtype, values }: ColumnValues): TransferredColumn {
  if (dtype === "int32" || dtype === "float32") return { dtype, numbers: Float64Array.from(values as number[]) };
  const codes = new Uint16Array(values.length);
  const dictionary: unknown[] = [];
  const codeOf = new Map<unknown, number>();
  for (let i = 0; i < values.length; i++) {
    let code = codeOf.get(values[i]);
    if (code === undefined) {
      if (dictionary.length === MAX_DICTIONARY) return { dtype, values };
      code = dictionary.push(values[i]) - 1;
      codeOf.set(values[i], code);
    }
    codes[i] = code;
  }
  return { dtype, codes, dictionary };
}

/** The buffers postMessage should move rather than copy. */
export function movableBuffers(columns: TransferredColumn[]): ArrayBuffer[] {
  return columns.flatMap((c) => [c.numbers?.buffer, c.codes?.buffer].filter((b): b is ArrayBuffer => b !== undefined));
}

/** The column as danfo holds it: a plain array. */
export function unpackColumn({ dtype, numbers, codes, dictionary, values }: TransferredColumn): ColumnValues {
  if (values) return { dtype, values };
  const source = (numbers ?? codes)!;
  const unpacked = new Array<unknown>(source.length);
  if (numbers) for (let i = 0; i < numbers.length; i++) unpacked[i] = numbers[i];
  else for (let i = 0; i < codes!.length; i++) unpacked[i] = dictionary![codes![i]];
  return { dtype, values: unpacked };
}
