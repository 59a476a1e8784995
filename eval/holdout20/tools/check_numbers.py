#!/usr/bin/env python3
"""Recompute the numbers in eval/holdout20 reports: 'ok' ones must hold, planted ones must fail."""
from datetime import date

r2 = lambda x: round(x + 1e-9, 2)
r1 = lambda x: round(x + 1e-9, 1)
ok = {
 # 01 OCR form (O/l read as 0/1)
 "01 rate": r2(178.20 / 186.40 * 100) == 95.60, "01 score": r2(178.20 / 186.40 * 10) == 9.56,
 "01 weights": 15 + 15 + 10 + 5 + 5 == 50 and 10 + 10 + 10 == 30,
 "01 met": 4.35 >= 4.2 and 100 >= 95 and date(2021, 9, 28) <= date(2021, 10, 31) and 1620 >= 1500 and 936 >= 900 and 2.3 >= 2,
 "01 not over 1.2": 4.35 / 4.2 < 1.2 and 1620 / 1500 < 1.2 and 936 / 900 < 1.2 and 2.3 / 2 < 1.2,
 "01 cost": r2(1126 * 800 / 10000) == 90.08 <= 178.20,
 # 02 cell per line (clean)
 "02 rate": r2(92.16 / 96 * 100) == 96.00, "02 score": r2(92.16 / 96 * 10) == 9.60,
 "02 weights": 20 + 10 + 10 + 10 == 50 and 15 + 15 == 30,
 "02 met": 3260 >= 3200 and 88.5 >= 85 and date(2019, 5, 22) <= date(2019, 5, 31) and 276 <= 280 and 21.6 >= 20 and 93 >= 90,
 "02 cost": r2(3260 * 276 / 10000) == 89.98 <= 92.16,
 # 03 one-line narrative
 "03 rate": r2(1296 / 1350 * 100) == 96.00, "03 rest": r2(1350 - 1296) == 54.00,
 "03 beds": 4500 * 12 == 54000 >= 52000, "03 money": r2(54000 * 240 / 10000) == 1296.00,
 "03 sat": r1(538 / 576 * 100) == 93.4, "03 other": 38 >= 36 and 63.5 >= 60,
 # 04 CSV (complete)
 "04 funds": r2(70 + 15) == 85.00 and r2(68.30 + 15) == 83.30, "04 rate": r2(83.30 / 85 * 100) == 98.00,
 "04 score": r2(83.30 / 85 * 10) == 9.80, "04 weights": 15 + 10 + 10 + 10 + 5 == 50 and 10 + 10 + 10 == 30,
 "04 total as stated": r2(9.80 + 15 + 10 + 10 + 10 + 5 + 10 + 10 + 10 + 10) == 99.80, "04 grade": 99.80 >= 90,
 "04 sat": 186 / 200 == 0.93, "04 cost": r2(826 * 0.045) == 37.17 <= 83.30,
 "04 met": 826 >= 800 and 5120 >= 5000 and 0.045 <= 0.05 and 6.2 >= 5 and 3.8 >= 3 and 2350 >= 2000,
 # 05 pipe
 "05 rate": r2(1474.56 / 1536 * 100) == 96.00, "05 score": r2(1474.56 / 1536 * 10) == 9.60,
 "05 wheat": r2(26.6 / 28 * 10) == 9.50, "05 weights": 10 + 10 + 5 + 10 + 5 + 10 == 50,
 "05 met": 41.2 >= 40 and 1.56 >= 1.5 and 1926 >= 1800 and 9.4 >= 9 and 72.5 >= 70,
 # 06 narrative with table, adjusted budget
 "06 adjust": 2400 - 300 == 2100 and 1200 + 900 == 2100, "06 rate": r2(1995 / 2100 * 100) == 95.00,
 "06 sat": 138 / 150 == 0.92, "06 tourists": 12.4 >= 10,
 # 07 rows, no header
 "07 funds": 432 + 108 + 72 == 612 and 432 + 108 + 60 == 600, "07 rate": r2(600 / 612 * 100) == 98.04,
 "07 score": r2(600 / 612 * 10) == 9.80, "07 cost": 300 * 2 == 600, "07 weights": 20 + 10 + 10 + 10 == 50 and 15 + 15 == 30,
 "07 date": date(2018, 11, 26) <= date(2018, 11, 30),
 # 08 narrative, run-in headings, four funding levels
 "08 funds": 320 + 180 + 60 + 90 == 650, "08 rate": r2(598 / 650 * 100) == 92.00,
 "08 grants": r2(212 * 300 * 12 / 10000) == 76.32, "08 online": 95.6 >= 90,
 # 09 department-wide
 "09 income": r2(1780.60 + 65.00) == 1845.60, "09 spend": r2(612.40 + 1148.20) == 1760.60,
 "09 rest": r2(1845.60 - 1760.60) == 85.00, "09 sangong": r2(9.84 / 12 * 100) == 82.00,
 "09 repair": r1(5624 / 5846 * 100) == 96.2, "09 lights": 98.6 >= 98 and 97.2 >= 96,
 # 10 one-line form
 "10 rate": 60 / 60 == 1, "10 weights": 15 + 15 + 10 + 5 + 5 == 50 and 15 + 15 == 30,
 "10 cost": r2(25 * 1.2) == 30.00 <= 60, "10 met": 14 >= 12 and 3.4 >= 3 and date(2023, 8, 25) <= date(2023, 9, 30),
 "10 not over 1.2": 14 / 12 < 1.2 and 3.4 / 3 < 1.2,
 # 11 narrative in yuan (complete)
 "11 rate": r2(2308600 / 2380000 * 100) == 97.00, "11 rest": 2380000 - 2308600 == 71400,
 "11 parts": 312800 + 607200 + 92 * 12 * 1250 + 8600 == 2308600, "11 guards": 46 * 2 == 92,
 "11 drills": 138 >= 46 * 2, "11 sat": r2(1078 / 1146 * 100) == 94.07,
 "11 video score": r2(368 / 400 * 10) == 9.20, "11 output": r2(50 - 10 + 9.20) == 49.20,
 "11 exec score": r2(2308600 / 2380000 * 10) == 9.70, "11 total": r2(9.70 + 49.20 + 30 + 10) == 98.90,
 "11 grade": 98.90 >= 90, "11 accidents": 4 < 9,
 # 12 narrative with table
 "12 funds": 240 + 80 + 40 == 360, "12 amount": r2(186 + 72 + 66 + 14.40) == 338.40,
 "12 plan": 3 + 6 + 4 + 12 == 25, "12 actual": 3 + 6 + 3 + 12 == 24, "12 rate": r2(338.40 / 360 * 100) == 94.00,
 # 13 rows with header, weights in labels, indicators 100 + rate 10 (clean, complete)
 "13 funds": 120 + 30 == 150 and 120 + 24 == 144, "13 rate": r2(144 / 150 * 100) == 96.00, "13 score": r2(144 / 150 * 10) == 9.60,
 "13 l2": 15 + 10 == 25 and 25 + 10 + 5 + 10 == 50 and 15 + 10 == 25 and 25 + 15 == 40 and 50 + 40 + 10 == 100,
 "13 total": r2(100 * 0.9 + 9.60) == 99.60, "13 sat": r1(374 / 400 * 100) == 93.5, "13 cost": r2(30 * 4.8) == 144.00,
 "13 met": 312 >= 300 and 4.3 >= 4 and 37.2 >= 36 and date(2024, 9, 26) <= date(2024, 9, 30),
 # 14 narrative (complete)
 "14 funds": 20 + 8 == 28, "14 rate": r2(26.60 / 28 * 100) == 95.00, "14 exec score": r2(26.60 / 28 * 10) == 9.50,
 "14 total as stated": r2(9.50 + 90) == 99.50, "14 other": 3.4 >= 3 and 64 >= 60 and 88 >= 85,
}
planted = {
 "01 rams full score": 1126 < 1200 and r2(1126 / 1200 * 15) == 14.08 != 15,
 "03 funds sum": r2(540 + 850) == 1390 != 1350,
 "03 score 100": r2(1296 / 1350 * 10) == 9.60 < 10 and 10 < 12,
 "04 late full": date(2023, 8, 6) > date(2023, 7, 31),
 "04 862 vs 826": 862 != 826,
 "05 payout full": r2(98.6 / 100 * 10) == 9.86 != 10,
 "06 18 vs 16.5": 16.5 < 18,
 "07 houses": r2(300 / 320 * 20) == 18.75 != 18.00,
 "08 unspent": r2(650 - 598) == 52.00 != 62.00,
 "09 rate": r2(1760.60 / 1845.60 * 100) == 95.39 != 95.93,
 "10 band": 15 * 0.8 == 12 < 15,
 "11 guards in wan": r2(92 * 12 * 1250 / 10000) == 138.00 != 13.80,
 "11 shortfall": 368 < 400 and 2380000 - 2308600 > 0,
 "12 all delivered": 24 < 25,
 "14 activities": 108 < 120,
}
bad = [k for k, v in {**ok, **planted}.items() if not v]
print(f"{len(ok)} clean + {len(planted)} planted checks;", "all checks hold" if not bad else f"FAILED: {bad}")
raise SystemExit(1 if bad else 0)
