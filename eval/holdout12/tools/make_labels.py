#!/usr/bin/env python3
"""Write labels/*.json for eval/holdout12 and check every quote against its report.

Run from anywhere: python3 eval/holdout12/tools/make_labels.py
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
"01_senlin_fanghuo": dict(
  report="崇岭县林业局2021年度森林防火专项经费项目支出绩效自评表(江西)", layout="pipe", truncated=True,
  notes="政府网站页面:站名、栏目路径、发布时间/浏览次数/字号在前;管道表格,续行省略一级指标;止于填表信息行中。万元。",
  clean_aspects=["150.00+30.00+0=180.00、166.00+30.00=196.00、152.28+30.00=182.28,其中各行与总额相符",
                 "执行率 182.28/196.00=93.00%,得分 9.30",
                 "权重 10+50+30+10=100;总分 9.30+50+30+10=99.30 与表一致",
                 "林带26.5≥25公里、护林员126≥120人、受害率0.3‰≤0.8‰、成本43.6≤45万元、火灾2≤3起、覆盖率67.8%≥67.5%,这些行满分有依据"],
  defects=[
    d("score_inflation", "扑火物资采购完成时间 | 2021年4月底前 | 2021年6月 | 10 | 10",
      "时效指标要求4月底前完成采购,实际6月才完成,未达目标却得满分10分,偏差原因栏为空。"),
    d("missing", "| 林区群众满意度 | ≥90% | | 10 | 10 |",
      "满意度指标实际完成值为空,没有调查结果,却得满分10分。"),
  ]),
"02_zhiye_peixun": dict(
  report="沂泉县人力资源和社会保障局2022年度职业技能培训补贴项目绩效自评报告(山东)", layout="narrative", truncated=True,
  notes="政府网站页面:站名、当前位置、发布日期/来源/浏览量/字体在前;叙述式报告,无表格;半角标点为主;止于改进措施第一条句中。万元。",
  clean_aspects=["200.00+120.00=320.00万元", "1050人×1200元=126.00万元,980人×1600元=156.80万元;126.00+156.80+6.80=289.60万元",
                 "执行率 289.60/320.00=90.50%,结余 30.40万元", "1050+980=2030人次", "取证率 1786/2030=88.0%",
                 "满意度 448/476=94.1%,注明问卷数", "93分对应等级优"],
  defects=[
    d("arithmetic", "实现就业1482人,就业率达78.0%",
      "就业率应为1482/2030=73.0%,正文写78.0%。", expected="73.0%", stated="78.0%"),
    d("contradiction", ["全年培训任务全面完成,共培训2030人次", "全年开展职业技能培训2200人次"],
      "称培训任务全面完成,但实际培训2030人次,少于年度目标2200人次(中级工980人次也低于1100人次)。"),
    d("vague_problems", "一是宣传力度还需进一步加大;二是部分工作环节衔接不够顺畅,工作效率有待提高。",
      "存在问题没有点出任何具体问题,未提培训人次未达目标、30.40万元结余等本项目的偏差。"),
  ]),
"03_shuiyuandi_baohu": dict(
  report="河阳县生态环境分局2020年度集中式饮用水水源地保护项目绩效自评表(河南)", layout="one_line", truncated=True,
  notes="政府网站页面:索引号、发布机构、发布日期、字号在前;整张自评表在一行,单元格以空格分隔,续行省略一级/二级指标名;止于表后说明第2条句中。万元。",
  clean_aspects=["执行率 239.20/260.00=92.00%,得分 9.20", "产出权重 10+10+15+5+10=50,效益 10+10+10=30",
                 "单位造价17.6万元/公里×8.5公里=149.6万元,未超预算", "警示牌64≥60块、防护网8.5≥8.5公里、受益12.6≥12万人"],
  defects=[
    d("arithmetic", "其中:当年财政拨款 220.00 220.00 199.20",
      "其中各行合计与总额不符:预算 220.00+30.00+0=250.00,表中总额260.00;执行 199.20+30.00+0=229.20,表中总额239.20。",
      expected="250.00 / 229.20", stated="260.00 / 239.20"),
    d("arithmetic", "总分 100 98.20",
      "各行得分合计 9.20+50+30+10=99.20,表中总分98.20。", expected="99.20", stated="98.20"),
    d("missing", "周边群众满意度 ≥90% 达到预期 10 10",
      "满意度指标实际完成值只写“达到预期”,没有调查得到的数值,却得满分。"),
  ]),
"04_canjiren_kangfu": dict(
  report="潜溪县残疾人联合会2023年度残疾人康复救助项目支出绩效自评表(湖北)", layout="cell_per_line", truncated=True,
  notes="政府网站页面:站名、栏目路径、时间/来源/点击数在前;一格一行,行尾无标记,空的偏差原因格被省略;止于填表人联系电话。元。无缺陷样例。",
  clean_aspects=["1,500,000+350,000=1,850,000;1,570,000+350,000=1,920,000;1,512,400+350,000=1,862,400",
                 "执行率 1,862,400/1,920,000=97.00%,得分 9.70",
                 "辅具适配 405/420×10=9.64,偏差原因具体(15名申请人、2024年一季度)",
                 "权重 10+50+30+10=100;总分 9.70+15+9.64+10+5+10+20+10+10=99.34,等级优",
                 "成本 186人×7600元=1,413,600元,未超全年执行数",
                 "年度总体目标实际完成情况与指标表一致(186人、405件、89.5%)"],
  defects=[]),
"05_yingyang_can": dict(
  report="涟溪县教育局2019年度农村义务教育学生营养改善计划项目支出绩效自评表(湖南)", layout="ocr", truncated=True,
  notes="文档站PDF扫描件OCR:文件名、下载积分/页数在前;0→O、1→l 噪声,年度总体目标两栏逐行交错,一级指标名及权重拆行;止于满意度行。万元。",
  clean_aspects=["27500人×4元×200天=2,200.00万元,与全年执行数一致", "执行率 2,200.00/2,500.00=88.00%",
                 "其中财政拨款2,500.00+结转0=2,500.00", "产出权重 15+10+10+10+5=50,效益 15+15=30",
                 "供餐200≥200天、事故0起、体质合格率92.6%≥90%、就餐率97.1%≥95%"],
  defects=[
    d("arithmetic", "2,200.OO 10 88.00% l0",
      "执行率88.00%、分值10,得分应为8.80,表中为10(OCR作l0)。", expected="8.80", stated="10"),
    d("score_inflation", "受益学生人数 ≥28000人 27500人 15 15",
      "受益学生27500人未达≥28000人的目标,按比例应得14.73分,表中满分15分,偏差原因栏为空。"),
  ]),
"06_weifang_gaizao": dict(
  report="梅岭县住房和城乡建设局2021年农村危房改造补助资金绩效自评表及自评报告(广东)", layout="mixed", truncated=True,
  notes="政府网站页面:单位、日期、来源、字号在前;附件1为一行一排、空格分隔的自评表(调整后预算数),附件2为叙述式报告;止于改进措施句中。万元。",
  clean_aspects=["270+150=420、270+180=450、243+162=405", "执行率 405/450=90.00%,得分9.00,与正文一致",
                 "改造户数 135/150×20=18,偏差原因具体", "135户×3万元=405万元",
                 "总分 9+18+10+10+10+20+10+10=97,与正文97分一致,等级优"],
  defects=[
    d("contradiction", ["全年完成危房改造150户,完成率100%", "完成农村危房改造户数 ≥150户 135户 20 18"],
      "报告称完成150户、完成率100%,自评表实际完成135户并扣2分。"),
    d("boilerplate", ["一是资金使用效益有待进一步提高;二是绩效管理意识有待进一步增强。",
                      "进一步加强资金监管,确保资金安全;加大政策宣传力度,提高群众知晓率;"],
      "存在问题和改进措施是通用套话,未提15户未开工、45万元未支出等本项目情况,措施无责任单位和时限。", M),
  ]),
"07_dizhi_zaihai": dict(
  report="岑江县自然资源局2024年度地质灾害防治专项资金绩效自评(广西)", layout="row_per_line", truncated=True,
  notes="政府网站页面:单位、位置、发布时间/阅读次数/字体在前;自评表一行一排、空格分隔,续行省略一级/二级指标名;预算执行率注明不计入得分,指标权重合计100;止于第二部分句中。万元。",
  clean_aspects=["120.00+66.50=186.50、120.00+51.58=171.58", "执行率 171.58/186.50=92.00%,县级 51.58/66.50=77.56%",
                 "在线率 91.6/95×10=9.64(按比例计分正确)", "权重 50+40+10=100",
                 "合计 15+10+9.64+5+10+20+20+10=99.64 与表一致"],
  defects=[
    d("missing", "监测设备在线率 ≥95% 91.6% 10 9.64 /",
      "监测设备在线率91.6%未达≥95%,已扣分,但偏差原因分析及改进措施栏只填“/”。"),
    d("contradiction", "自评等级:良",
      "合计99.64分,按90分以上为优,等级应为优,表中写良。", expected="优", stated="良"),
  ]),
"08_feiyi_chuancheng": dict(
  report="昌澜县旅游和文化广电体育局2023年度非物质文化遗产保护传承专项资金绩效自评报告(海南)", layout="narrative", truncated=False,
  notes="政府网站页面:站名、栏目路径、发布日期/来源/浏览次数/字号在前;叙述式报告,完整,有落款日期。万元。",
  clean_aspects=["50.00+35.00=85.00", "24名×0.5万元=12.00万元;12.00+28.80+19.40+24.80=85.00万元,执行率100%",
                 "培训 52/40=130%", "96=10+48+28+10,等级优", "存在问题具体(24名中60岁以上15名;少举办1场展演)"],
  defects=[
    d("arithmetic", "开展非遗进校园活动36场,完成率为112.5%",
      "36场对目标30场,完成率应为120%,正文写112.5%。", expected="120%", stated="112.5%"),
    d("missing", "(三)满意度指标。服务对象满意度≥90%,得10分。",
      "满意度只重复目标值“≥90%”,没有调查方法、样本和实际满意度数值,却得满分10分。"),
    d("missing", "(二)改进措施。",
      "报告列出“改进措施”小标题,其下为空,直接进入第六部分;针对已列两个问题没有任何措施。"),
  ]),
"09_yanglao_butie": dict(
  report="沱岭县民政局2025年度养老服务补贴项目绩效自评表(重庆)", layout="pipe", truncated=True,
  notes="政府网站页面:站名、当前位置、发布时间/来源/浏览次数/字体在前;管道表格,含年初预算数和全年预算数,续行省略一级指标;止于审核人。万元。无缺陷样例。",
  clean_aspects=["1,200.00+120.00=1,320.00;1,236.00+120.00=1,356.00;1,181.76+120.00=1,301.76",
                 "执行率 1,301.76/1,356.00=96.00%,得分 9.60", "护理补贴 1146/1200×10=9.55,偏差原因具体并有改进措施",
                 "满意度 477/500=95.4%,注明抽访方式和人数", "权重 10+50+30+10=100",
                 "总分 9.60+15+9.55+10+5+10+15+15+10=99.15,等级优",
                 "护理补贴 1146人×200元×12月=275.04万元,未超执行数"],
  defects=[]),
"10_dongwu_yibing": dict(
  report="蓥溪县农业农村局2022年度重大动物疫病强制免疫补助项目绩效自评报告(四川)", layout="ocr", truncated=True,
  notes="政府网站转载的扫描件OCR:标题、来源/发布时间/浏览在前;0→O、1→l 噪声,句中断行,页脚残留“_第1页”;叙述式,无表格;止于改进措施句中。万元。",
  clean_aspects=["执行率 131.40/146.00=90.00%,结余 146.00-131.40=14.60万元并说明原因",
                 "生猪免疫密度 176,540/182,000=97.0%", "抗体合格率82.5%、86.1%均高于70%"],
  defects=[
    d("arithmetic", "实免116.25万羽,免疫密度达98.0%",
      "禽流感免疫密度应为116.25/125.00=93.0%,正文写98.0%。", expected="93.0%", stated="98.0%"),
    d("score_inflation", "本项目各项指标全部完成,资金使用规范,自评得分1OO分",
      "预算执行率只有90.00%,执行率一项最多得9分,总分不可能为100分(OCR作1OO)。", expected="≤99", stated="100"),
    d("vague_problems", "防疫工作虽取得一定成效,但仍存在一些薄弱环节,个别环节有待加强。",
      "存在问题没有点出任何具体问题,未提14.60万元结余等情况。", M),
  ]),
"11_ludeng_weihu": dict(
  report="麻溪县综合行政执法局2024年度城区路灯及景观照明维护经费项目支出绩效自评表(贵州)", layout="one_line", truncated=True,
  notes="政府网站页面:站名、“今天是”、发布时间/阅读次数/字号在前;整张表连成一行且单元格之间无分隔,分值与得分粘连(如1515、109.85);止于满意度行。元。",
  clean_aspects=["执行率 2,256,000/2,400,000=94.00%,得分9.4", "亮灯率 96.5/98×10=9.85,偏差原因具体",
                 "产出权重 15+10+10+5+10=50,效益 10+10+10=30", "维修3240≥3000盏,LED光源1150≥1000套"],
  defects=[
    d("contradiction", ["更换LED光源1150套,全年亮灯率保持在98%以上", "城区主干道亮灯率≥98%96.5%109.85"],
      "年度总体目标实际完成情况称亮灯率保持在98%以上,指标表实际亮灯率96.5%,未达目标并已扣分。"),
    d("missing", "单盏路灯年维护成本≤*元/盏",
      "成本指标的年度指标值是占位符“*”,没有数值,无法判断620元/盏是否达标,却得满分。"),
  ]),
"12_shipin_choujian": dict(
  report="勐岗县市场监督管理局2020年食品安全监督抽检经费项目支出绩效自评报告(云南)", layout="narrative", truncated=False,
  notes="政府网站页面:站名、栏目路径、发布时间/作者/来源/点击量在前;叙述式报告,完整,有落款。万元。无缺陷样例。",
  clean_aspects=["87.45+5.67=93.12万元;1,286批次×680元≈87.45万元", "执行率 93.12/96.00=97.00%,得分9.70",
                 "抽检完成率 1286/1200=107.2%,不合格率 38/1286=2.95%", "满意度 268/286=93.7%,注明问卷数",
                 "总分 9.70+90=99.70,等级优", "农村市场占比 214/1286=16.6%",
                 "存在问题具体,改进措施有目标、责任科室和时限"],
  defects=[]),
"13_tuiyi_junren": dict(
  report="渭岭县退役军人事务局2023年度退役军人服务站运行经费项目绩效自评报告及自评表(陕西)", layout="mixed", truncated=True,
  notes="政府网站页面:单位、路径、发布时间/作者/浏览在前;先叙述式报告,后附一格一行的自评表;止于效益指标行中。万元。",
  clean_aspects=["表中执行率 61.20/68.00=90.00%,得分9.00", "12站×2.00+114站×0.30=58.20万元,未超预算",
                 "信息采集3560≥3500人,走访1280≥1200人次,与正文一致"],
  defects=[
    d("contradiction", ["项目资金68.00万元已全部支出,预算执行率100%", "68.00\n61.20\n10\n90.00%"],
      "报告称68.00万元已全部支出、执行率100%,附表全年执行数61.20万元、执行率90.00%。"),
    d("boilerplate", ["(一)工作还有一定差距,服务能力有待进一步提升;(二)宣传工作还需进一步加强。",
                      "进一步提高思想认识,加强组织领导,强化责任落实,不断提升退役军人服务保障水平。"],
      "存在问题和改进措施是通用套话,没有具体问题、措施、责任单位和时限,也未提资金未全部支出。", M),
  ]),
"14_hezhang_zhi": dict(
  report="洮岭县水务局2025年度河长制工作经费项目支出绩效自评表(甘肃)", layout="cell_per_line", truncated=False,
  notes="政府网站页面:站名、路径、发布日期/浏览次数/字号在前;一格一行的自评表,完整,有填表人和日期;权重为执行率10+产出50+效益40。万元。",
  clean_aspects=["其中财政拨款62.00/57.35与总额一致", "执行率得分 57.35/62.00×10=9.25", "公示牌 104/120×10=8.67",
                 "权重 10+50+40=100", "总分 9.25+15+8.67+15+10+20+10+10=97.92,等级优"],
  defects=[
    d("arithmetic", "57.35\n10\n95.25%",
      "执行率应为57.35/62.00=92.50%,表中写95.25%(得分9.25按92.50%计算)。", expected="92.50%", stated="95.25%"),
    d("missing", ["河湖长效管护机制\n健全并运行\n已健全并运行\n10\n10", "总分\n100\n97.92"],
      "完整的自评表没有满意度指标(服务对象满意度),权重改由效益指标40分承担。"),
    d("boilerplate", "我单位将进一步加强管理,提高资金使用效益,确保各项工作落到实处",
      "公示牌104块未达120块,偏差原因栏只写通用套话,没有说明原因,也没有具体补更计划。", M),
  ]),
}


def squash(s):
    return re.sub(r"\s+", "", s)


def main():
    bad = 0
    for stem, lab in LABELS.items():
        raw = (ROOT / "reports" / f"{stem}.txt").read_text(encoding="utf-8")
        assert raw.startswith("# source: synthetic-holdout-12\n"), stem
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
    cls = {"arithmetic": "inconsistency", "contradiction": "inconsistency", "score_inflation": "inconsistency",
           "boilerplate": "generic", "vague_problems": "generic", "missing": "missing"}
    counts = {}
    for lab in LABELS.values():
        for x in lab["defects"]:
            counts[cls[x["kind"]]] = counts.get(cls[x["kind"]], 0) + 1
    clean = sum(1 for lab in LABELS.values() if not lab["defects"])
    print("labels per class:", counts, "total", sum(counts.values()), "clean files:", clean)
    print("bad quotes:", bad)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
