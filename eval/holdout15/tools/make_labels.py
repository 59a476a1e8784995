#!/usr/bin/env python3
"""Write labels/*.json for eval/holdout15 and check every quote against its report.

Run from anywhere: python3 eval/holdout15/tools/make_labels.py
Labels were written by hand, blind to the reviewer's rules and code (see ../README.md).
A quote must be a verbatim substring of the report body (after the '# source:' line),
have at least 4 non-space characters, and occur exactly once in the whitespace-free text
(that is how eval/score.py matches quotes). Reports must not contain tabs.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
H, M, L = "high", "medium", "low"
KINDS = {"arithmetic", "contradiction", "score_inflation", "missing", "boilerplate", "vague_problems"}


def d(kind, quote, expl, conf=H, **kw):
    x = {"kind": kind, "quote": quote if isinstance(quote, list) else [quote], "explanation": expl, "confidence": conf}
    x.update(kw)
    return x


LABELS = {
 "01_xiangcun_zhenxing": dict(
  report="01_xiangcun_zhenxing", layout="narrative", truncated=True,
  notes="江西某县2022年度衔接推进乡村振兴补助资金(产业发展类)自评报告,政府网站转载,页首有站点导航和索引号等元数据;在改进措施第2条中途截断。",
  clean_aspects=["904.00+282.40+100.00=1,286.40万元", "1,286.40-1,157.76=128.64万元结余",
                 "520/600=86.7%", "综合得分92.6分对应等级优"],
  defects=[
   d("arithmetic", ["预算执行率93.5%", "累计实际支出1,157.76万元"],
     "执行率应为1,157.76/1,286.40=90.0%,报告写93.5%。", expected="90.0%", stated="93.5%"),
   d("contradiction", ["各项产出指标均已全面完成", "建成稻虾共养基地520亩"],
     "称各项产出指标全面完成,但稻虾共养基地只完成600亩中的520亩,冷链仓储只建成4座中的2座。"),
   d("vague_problems", "项目管理还有待进一步加强,个别环节工作不够到位",
     "存在问题空泛,没有指出本项目的具体问题(如冷链仓储延期、80亩土地流转未签、执行率偏低)。", M),
  ]),
 "02_shipin_choujian": dict(
  report="02_shipin_choujian", layout="pipe", truncated=True,
  notes="山东某县2023年度食品安全监督抽检专项经费自评表,竖线表格,续行省略合并单元格;在效益指标第二行中途截断。",
  clean_aspects=["180.00+16.00+0=196.00;160.40+16.00+0=176.40", "执行率176.40/196.00=90.00%",
                 "公开及时率3/4=75%,得分10×75%=7.5", "问题发现率67/2160=3.1%", "产出指标权重15+15+10+10=50"],
  defects=[
   d("arithmetic", "90.00% | 9.50",
     "预算执行率得分应为10×90.00%=9.00分,表中填9.50分。", expected="9.00", stated="9.50"),
   d("score_inflation", "2160批次 | 15 | 15",
     "抽检批次目标≥2400,实际2160,未完成却得满分15;按比例应为2160/2400×15=13.5分。", expected="13.5", stated="15"),
   d("missing", "抽检结果按季度公开及时率 | 100% | 75% | 10 | 7.5 |",
     "公开及时率未达标(75%)并扣分,偏差原因分析及改进措施栏为空。"),
  ]),
 "03_yinshui_anquan": dict(
  report="03_yinshui_anquan", layout="cell_per_line", truncated=True,
  notes="河南某县2021年度农村饮水安全工程维修养护自评表,每格一行且格间有空行;在填表人之后截断。干净样本。",
  clean_aspects=["320+18.5=338.5;313.23+18.5=331.73", "执行率331.73/338.5=98.0%,得分9.8",
                 "331.73/56=5.92万元,≤6万元", "产出权重15+10+10+10+5=50,效益15+15=30",
                 "总分9.8+50+30+10=99.8,等级优", "各项均达标,偏差原因填无相符"],
  defects=[]),
 "04_yiliao_shebei": dict(
  report="04_yiliao_shebei", layout="one_line", truncated=True,
  notes="湖北某县2020年度乡镇卫生院医疗设备购置自评表,整表在一行内以空格分隔;在评价结论后存在问题中途截断。",
  clean_aspects=["执行率432/450=96%,得分9.6", "产出权重20+10+10+10=50,效益15+15=30,满意度10"],
  defects=[
   d("arithmetic", "总分 100 98.6",
     "各项得分合计9.6+20+10+10+10+15+15+10=99.6,总分填98.6。", expected="99.6", stated="98.6"),
   d("contradiction", "自评等级 良",
     "总分98.6(复算99.6)均在90分以上,应为优,表中填良。"),
   d("missing", "2020年10月底前 ** 10 10",
     "时效指标实际完成值以**占位,未填实际完成时间,却得满分。"),
  ]),
 "05_yibao_canbao": dict(
  report="05_yibao_canbao", layout="narrative", truncated=True,
  notes="湖南某县2019年度城乡居民医保参保财政补助资金自评报告,文库转载,全文无换行;在第五部分中途截断。",
  clean_aspects=["412,600×520元=21,455.20万元", "13,520.00+5,340.00+2,595.20=21,455.20万元",
                 "执行率21,455.20/21,455.20=100%"],
  defects=[
   d("arithmetic", "参保率为96.5%",
     "412,600/436,800=94.5%,不是96.5%;按实际数参保率低于95%的目标。", expected="94.5%", stated="96.5%"),
   d("contradiction", ["全县421,600名城乡居民参保群众", "实际参保412,600人"],
     "参保人数前文为412,600人(补助资金也按此计算),效益部分写421,600人,前后不一致。"),
   d("boilerplate", "一是进一步提高政治站位,加强组织领导",
     "改进措施全是套话,未回应重复参保清退周期长、经办人员不足和人工比对错漏这两个具体问题,无责任单位和时限。", M),
  ]),
 "06_xiaoshe_weixiu": dict(
  report="06_xiaoshe_weixiu", layout="csv", truncated=True,
  notes="广东某区2024年度义务教育学校校舍维修改造自评表,Excel另存为逗号分隔文本,带千分位的金额加引号;在总分行中途截断。",
  clean_aspects=["执行率1,296/1,350=96.00%,得分9.60", "执行数1,176+120+0=1,296",
                 "维修面积16200/18000×10=9分", "1,296万元/16200平方米=800元/平方米", "产出权重5×10=50,效益15+15=30"],
  defects=[
   d("arithmetic", ["年度资金总额,\"1,200.00\",\"1,350.00\"", "上年结转资金,0.00,120.00,120.00"],
     "全年预算数合计1,350.00,但其中财政拨款1,200.00+上年结转120.00+其他0.00=1,320.00,分项与合计不符。",
     expected="1,320.00", stated="1,350.00"),
   d("score_inflation", "2024年10月25日,10,10",
     "目标为8月31日前(秋季开学前)完工,实际10月25日完工,偏差原因也承认延期,时效指标仍得满分10分。"),
   d("missing", "校舍维修改造面积,≥18000平方米,16200平方米,10,9,",
     "维修面积未达目标并扣分,偏差原因分析及改进措施栏为空。"),
  ]),
 "07_canji_ertong": dict(
  report="07_canji_ertong", layout="ocr", truncated=True,
  notes="广西某县2021年度残疾儿童康复救助自评表扫描件OCR,0常识别为O、“一”代替“—”,个别字形近误识(救肋、联台会、拔款);在签字栏后截断。",
  clean_aspects=["执行率124.62/186=67.0%,得分6.7", "124.62/152=0.82万元/人", "权重20+10+10+10+15+15+10+10=100",
                 "总分6.7+90=96.7(按所填得分求和)"],
  defects=[
   d("score_inflation", ["总分 1OO 96.7", "124.62 1O 67.0% 6.7"],
     "预算执行率仅67%,三分之一资金未使用,其余指标却全部满分,总分96.7接近满分,自评结果虚高。", M),
   d("missing", "受助儿童家长满意度 ≥9O% 较满意",
     "满意度实际完成值只写“较满意”,没有调查得出的比例,无法与≥90%比较,却给满分。"),
   d("missing", "偏差大或目标未完成原因分析:",
     "执行率只有67%,偏差原因分析栏空白。", M),
  ]),
 "08_dongwu_fangyi": dict(
  report="08_dongwu_fangyi", layout="rows_spaces", truncated=False,
  notes="海南某县2023年度动物防疫等补助经费自评表,每行一排、空格分隔、无表头;完整。干净样本。",
  clean_aspects=["96.00+8.80=104.80;93.90+8.80=102.70", "执行率102.70/104.80=98.00%,得分9.80",
                 "结余104.80-102.70=2.10万元并说明原因", "满意度374/400=93.5%",
                 "权重15+10+10+5+10=50,15+5+10=30,10,10", "总分99.80,等级优", "存在问题和改进措施具体到乡镇、设备和时限"],
  defects=[]),
 "09_shuitu_baochi": dict(
  report="09_shuitu_baochi", layout="pdf_columns", truncated=True,
  notes="重庆某区2020年度水土保持综合治理项目自评报告,PDF第2—3页,表1按列读出(先来源列,再各金额列),页眉页码夹在正文中;在建议第一条中途截断。",
  clean_aspects=["380+95+45=520", "371.20+95.00+30.60=496.80", "执行率496.80/520=95.54%",
                 "380-371.20=8.80万元质保金", "满意度272/286=95.1%"],
  defects=[
   d("contradiction", "综上,2019年度水土保持综合治理项目",
     "本报告是2020年度项目,结论写成2019年度,疑为沿用上年报告。", M),
   d("missing", "项目绩效指标完成情况详见下表:",
     "称产出指标完成情况详见下表,但其后直接接(二)效益指标,没有表格,产出指标完成情况缺失。"),
   d("vague_problems", "一是项目前期工作还不够扎实",
     "存在问题空泛,未涉及区级配套资金14.40万元未支出、监理验收费未结算等本项目情况。", M),
  ]),
 "10_lvyou_cesuo": dict(
  report="10_lvyou_cesuo", layout="mixed", truncated=True,
  notes="四川某县2025年度旅游厕所新建及改造提升自评报告:空格分隔的自评表加报告正文;在存在问题第二条中途截断。",
  clean_aspects=["6×28.5=171.00万元", "171.00+69.00=240", "已付192.00+未付48.00=240",
                 "满意度442/470=94%", "产出权重15+15+10+10=50"],
  defects=[
   d("contradiction", ["全年执行数按合同金额240万元计列", "年度资金总额 240 240 240 10 100% 10"],
     "年内实际只支付192万元,48万元尾款未付,却按合同额计为执行数,执行率应为80%、得分8分,而非100%和10分。",
     expected="80%", stated="100%"),
   d("arithmetic", "每座补助7.2万元,合计69.00万元",
     "10座×7.2万元=72.00万元,不是69.00万元。", expected="72.00", stated="69.00"),
   d("score_inflation", "单座新建旅游厕所成本 ≤25万元 28.5万元 10 10",
     "成本指标目标≤25万元,实际28.5万元超支,仍得满分。"),
  ]),
 "11_feiyi_baohu": dict(
  report="11_feiyi_baohu", layout="narrative", truncated=False,
  notes="贵州某县2018年度非物质文化遗产保护专项资金自评报告,分节叙述,完整(有落款日期)。",
  clean_aspects=["60+20=80万元", "31人×6000元=18.6万元", "满意度131/142=92.3%", "93分对应等级优"],
  defects=[
   d("missing", "做好非物质文化遗产保护工作,实施好非物质文化遗产保护项目",
     "绩效目标只是复述项目名称,没有数量、质量、时效等可衡量的目标值。"),
   d("arithmetic", "其中:代表性传承人补助18.6万元",
     "分项18.6+32+12.4+15=78万元,与全年实际支出80万元不符。", expected="80", stated="78"),
   d("boilerplate", ["非遗保护工作任重道远", "一是进一步提高思想认识,加强组织领导"],
     "存在问题和下一步措施都是可套用于任何项目的空话,没有具体对象、数据、责任单位和时限。", M),
  ]),
 "12_xiaofang_zhuangbei": dict(
  report="12_xiaofang_zhuangbei", layout="run_together", truncated=False,
  notes="云南某县2024年度消防救援装备购置自评表,PDF文字层整表连成一串、无分隔;数字带两位小数可唯一切分;完整。干净样本。",
  clean_aspects=["执行率158.40/160.00=99.00%,得分9.90", "结余160-158.40=1.60万元并说明原因",
                 "权重20+10+10+10=50,15+15=30,10,10", "总分9.90+90=99.90,等级优", "满意度有抽样说明", "存在问题和措施具体"],
  defects=[]),
 "13_linxia_jingji": dict(
  report="13_linxia_jingji", layout="mixed", truncated=True,
  notes="陕西某县2022年度林下经济发展项目自评报告,正文夹竖线表格(行首无竖线,续行省略合并单元格),全角标点;在存在问题第二条中途截断。",
  clean_aspects=["执行率288/300=96%,得分9.6", "276/300×10=9.2", "3260/3000=108.7%", "满意度184/200=92%",
                 "总分按所填得分求和为98.8"],
  defects=[
   d("score_inflation", "部分达成（2处种植点出现林下植被破坏）|10|10|",
     "定性指标自评为部分达成,按档次应得分值的60%—80%(6—8分),却得满分10分。"),
   d("boilerplate", "受客观原因影响，部分工作未达到预期",
     "未完成原因是套话,没有说明具体原因;正文后面才提到脱贫户缺乏劳动力。", M),
  ]),
 "14_shequ_zhili": dict(
  report="14_shequ_zhili", layout="cell_per_line", truncated=True,
  notes="甘肃某区2019年度街道社区综合治理专项经费自评表加说明,每格一行、无空行,空单元格为空行;在存在问题中途截断。",
  clean_aspects=["执行率81.60/85.00=96.00%,得分9.60", "按时办结率3195/3240=98.6%", "调解成功率153/168=91%",
                 "91/95×10=9.58", "满意度447/480=93.1%", "总分9.6+10+10+9.58+10+10+15+15+10=99.18"],
  defects=[
   d("missing", "社区网格员业务培训人次\n≥200人次",
     "网格员培训人次的完成值为空,却得满分10分。"),
   d("missing", "矛盾纠纷调解成功率\n≥95%\n91%\n10\n9.58\n略",
     "调解成功率未达标并扣分,偏差原因只填“略”。"),
   d("contradiction", "老旧小区供热管网改造项目2019年度绩效目标基本实现",
     "本项目是街道社区综合治理专项经费,结论却写成老旧小区供热管网改造项目,疑从其他报告套用。"),
  ]),
}


def squash(s):
    return re.sub(r"\s+", "", s)


def main():
    bad = 0
    for stem, lab in LABELS.items():
        raw = (ROOT / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
        assert raw.startswith("# source: synthetic-holdout-15\n"), stem
        body = raw.split("\n", 1)[1]
        assert "\t" not in body, f"{stem}: tab in report"
        hay = squash(body)
        for x in lab["defects"]:
            assert x["kind"] in KINDS, x["kind"]
            assert x["confidence"] in {H, M, L}
            for q in x["quote"]:
                if q not in body:
                    print(f"{stem}: not verbatim: {q!r}"); bad += 1
                elif hay.count(squash(q)) != 1:
                    print(f"{stem}: quote not unique ({hay.count(squash(q))}x): {q!r}"); bad += 1
                if len(squash(q)) < 4:
                    print(f"{stem}: short quote {q!r}"); bad += 1
                if "\t" in q:
                    print(f"{stem}: tab in quote {q!r}"); bad += 1
        out = {"report": lab["report"], "layout": lab["layout"], "truncated": lab["truncated"], "notes": lab["notes"],
               "clean_aspects": lab["clean_aspects"], "defects": lab["defects"]}
        (ROOT / "labels" / f"{stem}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    stems = {p.stem for p in (ROOT / "reports").glob("*.txt")}
    assert stems == set(LABELS), stems ^ set(LABELS)
    print("bad quotes:", bad)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
