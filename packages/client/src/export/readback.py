"""Reads the dataset files back the way their users do, for src/export/python.test.ts, and prints what it read as JSON.

  csv            csv.reader(f, delimiter="\t") on a file opened with newline="" (the csv module's documented way)
  pandas         pandas.read_csv(path, sep="\t"): every other setting left at its default
  pandas_exact   pandas.read_csv(path, sep="\t", dtype=str, keep_default_na=False): the documented exact reading
  json           json.load
  jsonl          str.splitlines() on the text, then json.loads per line
"""
import csv
import json
import math
import sys

out = {}
folder = sys.argv[1]
with open(f"{folder}/dataset.tsv", encoding="utf-8", newline="") as f:
    out["csv"] = list(csv.reader(f, delimiter="\t"))
with open(f"{folder}/dataset.json", encoding="utf-8") as f:
    out["json"] = json.load(f)
with open(f"{folder}/dataset.jsonl", encoding="utf-8", newline="") as f:
    lines = f.read().splitlines()
out["jsonl"] = [json.loads(line) for line in lines]

try:
    import pandas
except ImportError:
    out["pandas"] = None
else:

    def cell(v):
        if isinstance(v, str):
            return v
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return bool(v)
        if isinstance(v, float) and math.isnan(v):
            return None
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, float):
            return None if math.isnan(v) else repr(v)
        if isinstance(v, int):
            return str(v)
        return repr(v)

    def table(frame):
        return {
            "columns": [str(c) for c in frame.columns],
            "dtypes": {str(c): str(t) for c, t in frame.dtypes.items()},
            "rows": [[cell(v) for v in row] for row in frame.itertuples(index=False, name=None)],
        }

    path = f"{folder}/dataset.tsv"
    from pandas._libs.parsers import STR_NA_VALUES

    out["pandas"] = {
        "version": pandas.__version__,
        # the texts read_csv takes for a missing value by default (the list changes between pandas versions)
        "naValues": sorted(STR_NA_VALUES),
        "default": table(pandas.read_csv(path, sep="\t")),
        "exact": table(pandas.read_csv(path, sep="\t", dtype=str, keep_default_na=False)),
    }
json.dump(out, sys.stdout)
