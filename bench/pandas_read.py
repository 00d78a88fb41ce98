"""Times pandas.read_excel (openpyxl) on a sheet, for comparison with Trazo's import of the same
file.

    python3 bench/pandas_read.py bench/glosas_100000.xlsx

Prints the rows, the seconds of the fastest of three reads and the process's peak resident
memory. Needs pandas and openpyxl (pip install pandas openpyxl).
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
# VmHWM: this process's own peak (ru_maxrss would include the parent's memory at fork).
with open("/proc/self/status") as f:
    pico = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
print(f"filas={len(df)} segundos={mejor:.3f} pico_mib={pico:.0f}")
