#!/usr/bin/env python3
"""Writes labels/*.json for holdout3 (source of truth for the labels)."""
import json
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent

def D(kind, quote, explanation, expected=None, stated=None, confidence="high"):
    d = {"kind": kind, "quote": quote if isinstance(quote, list) else [quote], "explanation": explanation}
    if expected is not None: d["expected"] = expected
    if stated is not None: d["stated"] = stated
    d["confidence"] = confidence
    return d

L = {}
L["01_binzang"] = dict(report="2023年度殡葬改革惠民补贴项目支出绩效自评报告", project="殡葬改革惠民补贴（青岚县民政局）",
 clean_aspects=["652人 × 1200元 = 78.24万元", "86.4 − 78.24 = 8.16万元结余", "年初预算 = 全年预算 = 86.4万元"],
 defects=[
  D("arithmetic", "预算执行率为92.56%", "78.24 / 86.4 = 90.56%", "90.56%", "92.56%"),
  D("contradiction", ["各项绩效目标均已全面实现", "共为652名逝者家属减免"], "target was at least 700 people; 652 served (93.1%), yet all targets are said to be fully met and the shortfall is never explained", "未完成（652/700）", "全面实现"),
  D("missing", "自评得分98分", "no indicator table, weights or per-indicator scores; the 98 cannot be traced or checked", confidence="medium"),
  D("contradiction", "本年度（2022年）", "a 2023 report calls 2022 本年度 (text carried over from the previous year)", "2023年", "2022年"),
  D("score_inflation", "惠民政策满意度达100%", "100% satisfaction from unspecified 走访和电话回访, no sample size or method", confidence="medium"),
  D("boilerplate", "农村最低生活保障资金", "改进措施 names another programme (低保资金): copied from another report"),
  D("vague_problems", "一是宣传力度还需进一步加大", "存在问题 is three stock phrases; does not mention the 652-vs-700 shortfall or the 8.16万 unspent"),
  D("format", "三、存在的问题", "section numbering restarts: 四、自评结论 is followed by 三、存在的问题 and a second 四、"),
  D("boilerplate", "殡葬改革工作取得明显成效", "社会/生态效益 paragraphs are generic claims (杜绝因丧致贫, 乱埋乱葬得到遏制) with no data", confidence="low"),
  D("missing", "全县遗体火化率进一步提高", "goal 3 (遗体火化率稳步提升) is reported with no rate or baseline", confidence="medium"),
 ])
L["02_keyun"] = dict(report="澄川县交通运输局2023年度农村客运补贴资金项目支出绩效自评报告", project="农村客运补贴",
 clean_aspects=["300 + 20 = 320", "336 + 20 = 356", "321.8 + 20 = 341.8", "341.8 / 356 = 96.01%, 得分 9.60", "128/132 × 10 = 9.70", "341.8 / 128 = 2.67万元/车", "360/375 = 96%", "table rows sum to 99.30"],
 defects=[
  D("contradiction", "全年预算数365万元", "table 全年预算数 is 356, and 320 + 36 = 356", "356", "365"),
  D("score_inflation", "≥48条\t46条\t10\t10", "46 of 48 lines but full marks; proportional score 46/48 × 10 = 9.58", "9.58", "10"),
  D("contradiction", ["于第四季度集中审核兑付", "按季度兑付\t及时兑付"], "narrative says subsidies were paid in one batch in Q4, table says 及时兑付 against 按季度 target and gives full 10"),
  D("contradiction", "自评得分98.6分", "table total is 99.30", "99.30", "98.6"),
  D("missing", "≥132辆\t128辆\t10\t9.70", "shortfall rows (线路 46/48, 车辆 128/132) have an empty 偏差原因分析及改进措施"),
  D("vague_problems", "部分项目资金执行进度较慢", "存在问题 is one generic sentence; no mention of the missing 2 lines / 4 vehicles or the late payment"),
  D("boilerplate", "加快资金拨付进度，提高资金使用效益", "改进措施 is stock text with no action, owner or date"),
  D("contradiction", "补贴资金全部兑付到位", "实际完成情况 says all paid, but 341.8 of 356 executed (96.01%)", confidence="medium"),
  D("score_inflation", "明显改善\t明显改善\t15\t15", "15 points on a qualitative 效益 indicator with no evidence", confidence="low"),
 ])
L["03_jianxi"] = dict(report="2023年度高校毕业生就业见习补贴项目支出绩效自评报告", project="高校毕业生就业见习补贴（鹤阳县人社局）",
 clean_aspects=["128.6 / 150 = 85.73%", "262 / 300 = 87.33%"],
 defects=[
  D("arithmetic", "见习留用率达58.3%", "141 / 262 = 53.82%", "53.82%", "58.3%"),
  D("contradiction", ["全县见习基地总数达到46家", "全县38家见习基地"], "number of 见习基地 given as 46 and 38"),
  D("contradiction", "截至2022年12月31日", "2023 project; execution date says 2022", "2023年12月31日", "2022年12月31日"),
  D("missing", "产出和效益进行了全面评价", "report has no 自评结论, no score and no grade"),
  D("missing", "普遍表示满意", "target 满意度≥90% but no rate, sample or method is reported"),
  D("boilerplate", "农民工返乡创业担保贷款贴息资金", "改进措施 names another programme: copied text"),
  D("vague_problems", "部分见习单位对政策理解不到位", "存在问题 ignores the real deviations: 262 of 300 participants and 85.73% execution"),
  D("boilerplate", "取得了良好的社会效益和经济效益", "效益 paragraph is generic; claims 经济效益 without any indicator", confidence="medium"),
 ])
L["04_liangai"] = dict(report="岚溪县2023年农村妇女“两癌”筛查项目绩效自评报告（自评表在前）", project="妇女两癌筛查",
 clean_aspects=["56 + 24 = 80; 80 + 16 = 96", "12436 + 11850 = 24286", "12436 × 48元 = 59.69万; 11850 × 30元 = 35.55万; +0.76 = 96", "294/300 = 98%", "86.5/90 × 10 = 9.61", "stated row scores sum to 99.36"],
 defects=[
  D("arithmetic", "11850人\n\t10\n\t9.75", "11850/12000 × 10 = 9.88", "9.88", "9.75"),
  D("score_inflation", "2023年12月20日\n\t10\n\t10", "finished 20 Dec against a 30 Nov deadline, yet full 10 and no 偏差原因"),
  D("contradiction", "乳腺癌筛查11580人", "table and the 24286 total give 11850", "11850", "11580"),
  D("arithmetic", "乳腺癌9例，共计34例", "23 + 9 = 32", "32", "34"),
  D("vague_problems", ["存在的问题：无。", "改进措施：无。"], "problems and measures are 无 although 乳腺癌 screening, 随访率 and timing all fell short"),
  D("score_inflation", "明显提高\n\t明显提高\n\t15\n\t15", "15 full points on an unmeasured qualitative indicator", confidence="medium"),
  D("boilerplate", "有效降低了“两癌”死亡率", "mortality effect claimed from one year of screening with no data", confidence="low"),
 ])
L["05_tiyu"] = dict(report="霁川县2023年度公共体育场馆免费低收费开放补助资金项目支出绩效自评报告", project="公共体育场馆免费开放（clean）",
 clean_aspects=["60 + 20 = 80", "31.2 + 22.4 + 17.8 + 7.2 = 78.6", "78.6/80 = 98.25%, 得分 9.83", "80 − 78.6 = 1.4", "36/40 × 10 = 9", "27.4/25 = 109.6% (< 120%)", "78.6/27.4 = 2.87万元/万人次 ≤ 3", "434/466 = 93.13%", "9.83 + 49 + 30 + 10 = 98.83, 优", "every shortfall has a reason and a dated measure"],
 defects=[])
L["06_liangku"] = dict(report="白崖县2023年度粮食储备库维修改造项目支出绩效自评报告", project="粮食储备库维修",
 clean_aspects=["210 − 196.8 = 13.2", "196.8 × 90% = 177.12", "196.8 − 177.12 = 19.68", "177.12/210 = 84.34% (table)"],
 defects=[
  D("arithmetic", "预算执行率达到94.34%", "177.12 / 210 = 84.34%", "84.34%", "94.34%"),
  D("score_inflation", "84.34%\t10", "执行率 84.34% scored full 10; should be 8.43", "8.43", "10"),
  D("contradiction", ["维修仓容4.2万吨", "≥3.6万吨\t3.6万吨"], "narrative 4.2万吨, table 3.6万吨"),
  D("contradiction", ["2023年10月竣工验收", "2023年9月15日通过竣工验收"], "two different completion dates"),
  D("missing", "总分\t100\t100", "no 满意度 indicator; weights 产出60/效益30 instead of 50/30/10"),
  D("score_inflation", "自评得分100分", "100 with 执行率 84.34% (at most 98.43)", "≤98.43", "100"),
  D("boilerplate", "农村公路养护资金管理", "改进措施 names another project: copied text"),
  D("vague_problems", "存在前期工作准备不够充分等问题", "no specific problem; 19.68万 unpaid and low execution not discussed"),
  D("contradiction", ["预计延长10年以上", "≥10年\t10年\t15\t15"], "a forecast (预计) entered as the actual value and scored full", confidence="medium"),
 ])
L["07_xiaofang"] = dict(report="雁南县消防救援大队2023年消防救援装备购置项目绩效自评报告", project="消防救援装备购置",
 clean_aspects=["145 − 131.46 = 13.54", "131.46/145 = 90.66%"],
 defects=[
  D("arithmetic", "节约率达10.3%", "13.54 / 145 = 9.34%", "9.34%", "10.3%"),
  D("contradiction", ["2023年12月28日，186件（套）装备全部到货", "到货及时率100%", "装备按时配发到位", "各项绩效目标均已全面完成"], "target was delivery by end of October; delivered 28 December yet 及时率100% and all goals met"),
  D("score_inflation", "自评得分100分", "100 despite 执行率 90.66% and late delivery", "<100", "100"),
  D("score_inflation", "对新配备装备满意度100%", "100% satisfaction with no survey, sample or method", confidence="medium"),
  D("vague_problems", "思想认识有待进一步提高", "存在问题 is stock phrases; no project-specific problem (late delivery, 13.54万 unspent)"),
  D("boilerplate", "切实增强做好预算绩效管理工作的责任感和使命感", "改进措施 stock text, no action/owner/date"),
  D("missing", "社会效益显著", "no indicator table, no quantified 效益 or 满意度 targets, no score breakdown", confidence="medium"),
 ])
L["08_huanwei"] = dict(report="柘原县2023年度城乡环卫一体化项目支出绩效自评报告", project="城乡环卫一体化（clean）",
 clean_aspects=["1236 + 44 = 1280", "1280/1280 = 100%", "1236/146 = 8.47万元/村", "241/250 = 96.4%; 96.4/98 × 10 = 9.84", "135/146 = 92.47%", "536/600 = 89.33%", "193/180 = 107% (< 120%)", "10 + 50 + 29.84 + 10 = 99.84, 优", "problems name places, counts and dates"],
 defects=[])
L["09_yanglao"] = dict(report="桐溪县民政局2023年度社区养老服务站运营补贴项目绩效自评报告", project="社区养老服务站运营",
 clean_aspects=["11 × 6 = 66; 66 + 6 = 72", "72/80 = 90%, 得分 9", "5/11 = 45.45%; 45.45/50 × 10 = 9.09", "38520/33320 = +15.6%", "stated table rows sum to 93.09"],
 defects=[
  D("score_inflation", "≥12个\n11个\n10\n10", "11 of 12 stations scored full; 11/12 × 10 = 9.17 and no 偏差原因", "9.17", "10"),
  D("contradiction", "12个社区养老服务站全部正常运营", "table says 11, and 66万 运营补贴 = 11 stations × 6万", "11", "12"),
  D("arithmetic", "产出指标（50分）", "产出 weights 10+10+10+5+10 = 45, so all weights sum to 95, not 100", "45", "50"),
  D("contradiction", "自评得分95.09分", "table total is 93.09", "93.09", "95.09"),
  D("boilerplate", "城区停车场建设", "存在问题 names another project: copied text"),
  D("vague_problems", "绩效管理人员业务水平有待提高", "problems/measures generic; the missing station, 星级 shortfall and 8万 unspent are not addressed"),
  D("score_inflation", "服务对象满意度达到95%", "satisfaction with no survey method or sample", confidence="medium"),
  D("missing", "预算执行率90%", "8万 unspent (one station's subsidy and 1 星级奖补) never explained", confidence="medium"),
  D("score_inflation", "健全\n健全\n15\n15", "15 points for a qualitative 制度健全 indicator with no evidence", confidence="low"),
 ])
L["10_cunji"] = dict(report="关于2023年度村级组织运转经费项目支出绩效自评情况的报告", project="村级组织运转经费（岫山县委组织部）",
 clean_aspects=["126 × 2 = 252", "378 + 252 = 630", "630/630 = 100%"],
 defects=[
  D("arithmetic", "共计387万元", "126 × 3 = 378; also 387 + 252 ≠ 630", "378", "387"),
  D("contradiction", ["全县118个行政村", "全县126个行政村"], "number of villages given as 126 and 118"),
  D("contradiction", "2022年度村级组织运转经费", "2023 report concludes on 2022", "2023年度", "2022年度"),
  D("missing", "自评等级为“优”", "grade with no score and no indicator table"),
  D("score_inflation", "群众满意度达到100%", "100% satisfaction with no survey, sample or method", confidence="medium"),
  D("vague_problems", "思想认识还不够到位", "存在问题 stock phrases, no concrete problem"),
  D("boilerplate", "切实增强做好村级组织运转经费保障工作的责任感和紧迫感", "改进措施 stock phrases, no action/owner/date"),
  D("format", "二、项目资金管理及使用情况", "section numbering: 二、 appears twice and 三、 is missing"),
  D("boilerplate", "增强了村级组织的凝聚力、战斗力和号召力", "效益 is generic rhetoric with no indicator or data", confidence="medium"),
 ])

for stem, d in L.items():
    out = {"report": d["report"], "project": d["project"], "clean_aspects": d["clean_aspects"], "defects": d["defects"]}
    (ROOT / "labels" / f"{stem}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print("wrote", len(L))
