#!/usr/bin/env python3
"""Recompute the numbers in eval/holdout14 reports: 'ok' ones must hold, planted ones must fail.

Run from anywhere: python3 eval/holdout14/tools/check_numbers.py
"""
import sys

r2 = lambda x: round(x + 1e-9, 2)
r1 = lambda x: round(x + 1e-9, 1)
pct = lambda a, b: r2(a / b * 100)

ok = {
    # 01 public toilets (万元)
    "01 toilets": 42 + 97 + 47 == 186,
    "01 rate": pct(1218.36, 1260) == 96.70,
    "01 funds score": r2(1218.36 / 1260 * 10) == 9.67,
    "01 balance": r2(1260 - 1218.36) == 41.64,
    "01 total": r2(9.67 + 48 + 29 + 10) == 96.67 and 96.67 >= 90,
    "01 satisfaction": r1(561 / 600 * 100) == 93.5,
    "01 repairs": 412 == 412,
    # 02 people's mediation (元)
    "02 committees": 11 + 164 == 175,
    "02 subsidy": 2814 * 200 == 562800,
    "02 success score": r2(92.4 / 96 * 10) == 9.63,
    "02 weights": 15 + 10 + 10 + 10 + 5 == 50 and 15 + 15 == 30,
    "02 stated total": r2(9.40 + 15 + 10 + 9.63 + 10 + 5 + 15 + 15 + 10) == 99.03,
    # 03 farmland water (万元)
    "03 initial": 360 + 0 == 360,
    "03 budget": 360 + 60 == 420,
    "03 spent": r2(343.52 + 58) == 401.52,
    "03 rate": pct(401.52, 420) == 95.60,
    "03 timeliness": r2(91 / 95 * 5) == 4.79,
    "03 weights": 10 + 10 + 5 + 10 + 5 + 10 == 50,
    # 04 family-planning awards (万元)
    "04 award": r2(6380 * 960 / 10000) == 612.48,
    "04 disabled": r2(300 * 5640 / 10000) == 169.20,
    "04 items = total": r2(612.48 + 134.64 + 169.20) == 916.32,
    "04 special count": 187 + 300 == 487,
    "04 rate": pct(916.32, 916.32) == 100.00,
    # 05 forest compensation transfer (万元)
    "05 area": r1(152.0 + 66.6) == 218.6,
    "05 central": r2(152.0 * 10 + 66.6 * 16) == 2585.60,
    "05 collective = income": r2(66.6 * 16) == 1065.6,
    "05 budget": r2(2585.60 + 214.40) == 2800.00,
    "05 spent": r2(2585.60 + 198.56) == 2784.16,
    "05 rate": pct(2784.16, 2800) == 99.43,
    "05 local rate": pct(198.56, 214.40) == 92.61,
    "05 unspent": r2(214.40 - 198.56) == 15.84,
    "05 satisfaction": r1(374 / 400 * 100) == 93.5,
    # 06 bus subsidy (万元)
    "06 initial": 1200 + 4000 == 5200,
    "06 budget": 1200 + 4400 == 5600,
    "06 spent": 1200 + 4288 == 5488,
    "06 rate": pct(5488, 5600) == 98.00,
    "06 city rate": pct(4288, 4400) == 97.45,
    "06 funds score": r1(5488 / 5600 * 10) == 9.8,
    "06 per km": r2(5488 / 1586) == 3.46,
    "06 stated total": r1(9.8 + 10 * 5 + 15 + 15 + 10) == 99.8,
    # 07 rural passenger transport (万元)
    "07 budget": 400 + 240 == 640,
    "07 rate": pct(371.20, 640) == 58.00,
    "07 funds score": r2(371.20 / 640 * 10) == 5.80,
    "07 prov rate": pct(371.20, 400) == 92.80,
    "07 shelters score": r2(26 / 40 * 15) == 9.75,
    "07 shelters cost": r2(26 * 6.2) == 161.20,
    "07 spending": r2(161.20 + 210.00) == 371.20,
    "07 remaining": 40 - 26 == 14,
    "07 total": r2(5.80 + 9.75 + 10 + 10 + 5 + 10 + 15 + 15 + 10) == 90.55,
    "07 grade": 90.55 >= 90,
    # 08 emergency stockpile (万元)
    "08 rate": pct(842.35, 850) == 99.10,
    "08 funds score": r2(842.35 / 850 * 10) == 9.91,
    "08 weights": 10 + 10 + 5 + 10 + 5 + 10 == 50 and 15 + 15 + 10 == 40,
    "08 targets met": 1260 >= 1200 and 8150 >= 8000 and 3000 >= 3000 and 16.5 <= 18 and 8 <= 12 and 1.62 >= 1.5 and 92.3 >= 90,
    # 09 elderly accident insurance (万元)
    "09 rate": pct(463.68, 480) == 96.60,
    "09 funds score": r2(463.68 / 480 * 10) == 9.66,
    "09 premium": r2(463.68 / 18.6) == 24.93,
    "09 claims score": r2(2846 / 3000 * 15) == 14.23,
    "09 partial band": 0.6 * 15 <= 11 < 0.8 * 15,
    "09 weights": 15 + 10 + 5 + 10 + 10 == 50,
    "09 total": r2(9.66 + 15 + 10 + 5 + 10 + 10 + 14.23 + 11 + 10) == 94.89,
    # 10 teacher training (万元)
    "10 budget": 80 + 188 == 268,
    "10 rate": pct(259.96, 268) == 97.00,
    "10 balance": r2(268 - 259.96) == 8.04,
    "10 total": r2(9.70 + 49 + 30 + 10) == 98.70,
    "10 satisfaction": r1(1197 / 1260 * 100) == 95.0,
    # 11 department (万元)
    "11 rate": pct(4799, 5280) == 90.89,
    "11 stated split": r2(1286.40 + 3512.60) == 4799.00,
    "11 p1": pct(1865.30, 1920) == 97.15,
    "11 p2": pct(982.50, 1000) == 98.25,
    "11 p3": pct(426.80, 440) == 97.00,
    "11 p4": pct(198.00, 620) == 31.94,
    "11 vehicles": 3 + 7 == 10,
    # 12 special education (万元)
    "12 school": r2(148 * 6000 / 10000) == 88.80,
    "12 home": r2(62 * 6000 / 10000) == 37.20,
    "12 rooms": r2(3 * 15) == 45.00,
    "12 budget": r2(88.80 + 37.20 + 45.00) == 171.00,
    "12 spent": r2(88.80 + 37.20 + 42.30) == 168.30,
    "12 saving": r2(45.00 - 42.30) == 2.70,
    "12 rate": pct(168.30, 171) == 98.42,
    "12 funds score": r2(168.30 / 171 * 10) == 9.84,
    "12 total": r2(90 + 9.84) == 99.84,
    "12 visits": 62 * 2 * 12 == 1488,
    "12 satisfaction": r1(191 / 200 * 100) == 95.5,
    # 13 historic district (万元)
    "13 budget": 900 + 250 == 1150,
    "13 spent": 810 + 225 == 1035,
    "13 rate": pct(1035, 1150) == 90.00 and pct(810, 900) == 90.00 and pct(225, 250) == 90.00,
    "13 funds score": r2(1035 / 1150 * 10) == 9.00,
    "13 unspent": 1150 - 1035 == 115,
    "13 visitors score": r2(104 / 120 * 10) == 8.67,
    "13 qual band": 0.8 * 10 <= 9 <= 10,
    "13 weights": 15 + 10 + 10 + 5 + 10 == 50 and 10 + 10 + 10 == 30,
    "13 stated total": r2(9.00 + 15 + 10 + 10 + 5 + 10 + 10 + 8.67 + 9 + 10) == 96.67,
    "13 satisfaction": r1(366 / 400 * 100) == 91.5,
    # 14 public rental housing (万元), 执行率 weight 20
    "14 rate": pct(176.40, 236) == 74.75,
    "14 funds score": r2(176.40 / 236 * 20) == 14.95,
    "14 repairs": r2(264 / 300 * 5) == 4.40,
    "14 rent": r2(76.0 / 95 * 10) == 8.00,
    "14 unit cost": r2(176.40 * 10000 / 1680) == 1050.00,
    "14 households": r2(1378 / 1600 * 15) == 12.92,
    "14 occupancy": r1(1378 / 1680 * 100) == 82.0,
    "14 occupancy score": r2(82.0 / 95 * 15) == 12.95,
    "14 satisfaction": r2(82.6 / 85 * 10) == 9.72,
    "14 weights": 20 + 40 + 30 + 10 == 100 and 10 + 5 + 10 + 5 + 10 == 40,
    "14 total": r2(14.95 + 10 + 4.40 + 8.00 + 5 + 10 + 12.92 + 12.95 + 9.72) == 87.94,
}

# Each planted item is written so that the expression is True exactly when the stated value is wrong.
planted = {
    "01 breakdown 1205.36 != 1218.36": r2(786.40 + 203.55 + 96.18 + 119.23) == 1205.36 != 1218.36,
    "01 pass rate 98.0 vs 95.0": r1(1368 / 1440 * 100) == 95.0 != 98.0,
    "02 rate 94.00 vs 91.00": pct(1747200, 1920000) == 91.00 != 94.00,
    "02 score 9.40 vs 9.10": r2(1747200 / 1920000 * 10) == 9.10 != 9.40,
    "02 cases full marks": 2814 < 3000 and r2(2814 / 3000 * 15) == 14.07 != 15,
    "02 success below target": 92.4 < 96,
    "03 funds score 9.86 vs 9.56": r2(401.52 / 420 * 10) == 9.56 != 9.86,
    "03 total 99.86 vs sum 99.65": r2(9.86 + 10 + 10 + 5 + 10 + 4.79 + 10 + 10 + 10 + 10 + 10) == 99.65 != 99.86,
    "04 sources 906.32 vs 916.32": r2(549.79 + 183.26 + 91.63 + 81.64) == 906.32 != 916.32,
    "04 county should be 91.64": r2(916.32 - 549.79 - 183.26 - 91.63) == 91.64,
    "04 187x7440 != 134.64": r2(187 * 7440 / 10000) == 139.13 != 134.64 and r2(187 * 7200 / 10000) == 134.64,
    "06 late payment": (11, 28) > (9, 30),
    "06 reverse exceeded": 3.46 > 3.20 and r2((1 - (3.46 - 3.20) / 3.20) * 10) == 9.19 and r2(3.20 / 3.46 * 10) == 9.25,
    "07 all done vs 26/40": 26 < 40,
    "09 insured 16.8 vs 18.6": 16.8 != 18.6 and r2(463.68 / 16.8) == 27.60 > 25,
    "10 partial full marks": not (0.6 * 10 <= 10 < 0.8 * 10),
    "11 items 3472.60 vs 3512.60": r2(1865.30 + 982.50 + 426.80 + 198.00) == 3472.60 != 3512.60,
    "11 vehicles 97 > max": r2(198 / 620 * 10 + 90) == 93.19 < 97.0,
    "13 partial full marks": not (0.6 * 10 <= 10 < 0.8 * 10),
    "13 visitors short": 104 < 120,
    "14 grade 87.94 is 良": 80 <= 87.94 < 90,
    "14 repairs short": 264 < 300,
}

bad = [k for k, v in {**ok, **planted}.items() if not v]
print(f"{len(ok)} clean + {len(planted)} planted checks;", "all checks hold" if not bad else f"FAILED: {bad}")
sys.exit(1 if bad else 0)
