"""A small retrieval quality set over the seed reports: Chinese questions written as a
reviewer would ask them (paraphrased, not copied from the text) and, for each, a phrase
that the relevant passage contains. ``hit_at_k`` is the share of questions whose
relevant passage is among the top k results.

Used by tests/test_vectorstore_retrieval.py and bench/bench_vectorstore.py.
"""

from __future__ import annotations

from vectorstore.textutil import norm

# (question, phrase found in a relevant passage)
QUERIES: list[tuple[str, str]] = [
    ("春节前去慰问值班单位花了多少钱", "每个单位1000元"),
    ("实训楼维修改造财政拨了多少资金", "实训楼进行维修改造项目资金107万元"),
    ("报告厅大屏的质保金拖了几年没付", "一直未支付质保金"),
    ("礼堂地面为什么塌陷", "垫层土方下沉"),
    ("买了几辆公务车，实际花了多少", "购置4辆公车"),
    ("办公场所消防设备老旧不达标", "消防安全设施存在设备老化"),
    ("1304会议室改造的预算构成，显示屏和桌椅各多少钱", "购买桌椅设备需要173600元"),
    ("为隔离酒店和流调人员提供工作餐", "19家隔离酒店"),
    ("疫情期间租车用来干什么", "转运核酸样本"),
    ("宾馆停业后还欠供应商多少货款", "尚欠364621.13元"),
    ("电动车停车棚改造包括哪些工程", "阳光板采购、拆除、安装工程"),
    ("数字城市管理中心建在哪里，多大面积", "约600平米的数字城市管理中心"),
    ("智慧城市项目招标价是多少", "招标价1736.18万元"),
    ("智慧城市建设资金到位慢带来什么影响", "智慧城市建设项目资金到位较慢"),
    ("12345热线外包服务的预算", "呼叫中心服务外包费用预算资金合计"),
    ("热线工单转给承办单位时遇到的困难", "难点事项转派困难"),
    ("承办单位办理热线工单不及时怎么整改", "首问负责制"),
    ("政务外网升级支持IPv6", "IPv6升级改造"),
    ("县里和乡镇之间开视频会议的系统", "县级延伸乡镇视频会议系统"),
    ("信息化项目钱拨付太慢影响运维", "项目资金支付缓慢"),
    ("还有几个村没有接通政务外网", "暂未开通村级电子政务外网"),
    ("每个行政村的政务外网专线带宽", "不低于100M光纤专线"),
    ("子洲县公文流转系统花了多少经费", "公文流转系统，经费"),
    ("政府门户网站改版的要求", "政府门户网站改版"),
    ("公务用车定位平台的维护费用", "全县公务用车定位系统服务平台维护费"),
    ("网站访问量指标完成得怎么样", "网站访问及点击量"),
    ("互联网+政务服务平台运维费什么时候付完的", "2022年12月8日已全部支付完成"),
    ("政务服务平台运维存在的问题", "要及时沟通协调"),
    ("和平县政务外网给多少个县直单位和村提供网络", "93 个县直单位"),
    ("政务服务数据管理局是什么时候成立的", "2019年3月挂牌成立"),
    ("网络费结余了多少钱", "16050"),
    ("满意度调查的结果", "满意度"),
]


def relevant(hit_text: str, phrase: str) -> bool:
    return norm(phrase) in norm(hit_text)


def hit_at_k(search, k: int = 5, queries=QUERIES) -> tuple[float, list[str]]:
    """``search(query, k) -> list of texts``; returns (hit@k, questions missed)."""
    missed = []
    for q, phrase in queries:
        if not any(relevant(t, phrase) for t in search(q, k)):
            missed.append(q)
    return 1 - len(missed) / len(queries), missed
