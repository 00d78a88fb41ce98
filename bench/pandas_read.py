"""Times pandas.read_excel on a sheet, for comparison with Trazo's import of the same file.

    python3 bench/pandas_read.py bench/glosas_100000.xlsx

Prints the seconds of the fastest of three reads. Needs pandas and openpyxl
(pip install pandas openpyxl).
"""
import sys
import time

import pandas as pd

ruta = sys.argv[1]
mejor = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    df = pd.read_excel(ruta)
    mejor = min(mejor, time.perf_counter() - t0)
print(f"pandas.read_excel {len(df)} rows: {mejor:.3f}")
