"""What pandas.read_csv makes of CSV files, as JSON, for test/csv.test.ts to compare against.

stdin: [{"path": ..., "kwargs": {...}}, ...]; stdout: one result per file with its columns, dtypes
and cells (each tagged with its type so that int64 values keep every digit), and whether pandas
itself round-trips the frame through to_csv.
"""
import io
import json
import math
import sys

import numpy as np
import pandas as pd


def cell(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return {"b": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"i": str(int(value))}
    if isinstance(value, (float, np.floating)):
        return {"f": repr(float(value)).replace("inf", "Infinity")}
    if isinstance(value, pd.Timestamp):
        return {"t": value.value // 10**6}
    return {"s": str(value)}


def describe(path, kwargs):
    # Every float exactly as written (the C parser's default rounds the last digit); the python
    # engine, which has no such option, parses with Python's own float(), which is exact already.
    if kwargs.get("engine") != "python":
        kwargs = {"float_precision": "round_trip", **kwargs}
    try:
        df = pd.read_csv(path, **kwargs)
    except pd.errors.EmptyDataError:
        return {"columns": [], "dtypes": [], "cells": []}
    except Exception as error:  # noqa: BLE001 - the message is the result
        return {"error": f"{type(error).__name__}: {error}"}
    text = df.to_csv(index=False)
    again_kwargs = {k: v for k, v in kwargs.items() if k not in ("compression", "skiprows", "nrows", "sep", "engine", "encoding", "usecols", "header", "on_bad_lines")}
    try:
        again = pd.read_csv(io.StringIO(text), **again_kwargs)
        roundtrips = bool(df.equals(again)) and list(df.columns) == list(again.columns)
    except Exception:  # noqa: BLE001 - a frame pandas cannot read back does not round-trip
        roundtrips = False
    return {
        "columns": [str(c) for c in df.columns],
        "dtypes": [str(t) for t in df.dtypes],
        "cells": [[cell(v) for v in df[c].tolist()] for c in df.columns] if df.columns.is_unique else None,
        "roundtrips": roundtrips,
    }


requests = json.load(sys.stdin)
json.dump([describe(r["path"], r["kwargs"]) for r in requests], sys.stdout)
