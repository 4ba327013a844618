"""Level, province and year of report forms the project was not first written for (issue 11).

Government work reports (provincial, autonomous-region, municipal, national), town,
township, street and department reports that name their unit only in the body, and
the year rule: a document's year is the one its title names; `covers` keeps the year
of the work reported on.
"""

from __future__ import annotations

import pytest

from ingest.normalize import normalize
from tests.ingest.test_facets import facets

CITY_REPORT = ("——2026年1月20日在某某市第十七届人民代表大会第五次会议上\n某某市市长 张三\n各位代表：\n"
               "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。\n"
               "一、2025年工作回顾\n2025年是“十四五”规划收官之年。全市地区生产总值增长5.5%。")
NATIONAL = ("——2026年3月5日在第十四届全国人民代表大会第四次会议上\n国务院总理 李强\n各位代表：\n"
            "现在，我代表国务院，向大会报告政府工作，请予审议。\n2025年，我国经济运行总体平稳。")


@pytest.mark.parametrize(("title", "body", "level", "province", "year"), [
    ("2026年上海市政府工作报告", "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。", "省", "上海市", 2026),
    ("重庆市2025年政府工作报告", "各位代表：现在我代表市人民政府向大会报告工作。", "省", "重庆市", 2025),
    ("天津市2024年政府工作报告", "各位代表：\n现在，我代表市人民政府，向大会报告工作。", "省", "天津市", 2024),
    ("广西壮族自治区2025年政府工作报告", "各位代表：\n现在，我代表自治区人民政府向大会报告工作。", "省", "广西壮族自治区", 2025),
    ("内蒙古自治区2026年政府工作报告", "各位代表：\n现在，我代表自治区人民政府，向大会报告工作。", "省", "内蒙古自治区", 2026),
    ("西藏自治区政府工作报告", "各位代表：\n现在，我代表自治区人民政府向大会报告工作。", "省", "西藏自治区", None),
    ("2026年政府工作报告", CITY_REPORT, "市", None, 2026),
    ("政府工作报告", NATIONAL, "中央", None, 2025),
    ("恩施土家族苗族自治州2020年宣传思想工作总结", "2020年，全州宣传思想工作扎实推进。", "市", "湖北省", 2020),
    ("锡林郭勒盟2020年宣传思想工作总结", "2020年，全盟宣传思想工作扎实推进。", "市", "内蒙古自治区", 2020),
    ("阿里地区2020年宣传思想工作总结", "2020年，全地区宣传思想工作扎实推进。", "市", "西藏自治区", 2020),
    ("神农架林区2020年宣传思想工作总结", "2020年，林区宣传思想工作扎实推进。", "县", "湖北省", 2020),
    ("长阳土家族自治县2020年宣传思想工作总结", "2020年，全县宣传思想工作扎实推进。", "县", "湖北省", 2020),
    ("鄂温克族自治旗2020年宣传思想工作总结", "2020年，全旗宣传思想工作扎实推进。", "县", "内蒙古自治区", 2020),
])
def test_government_and_autonomous_units(title, body, level, province, year):
    doc = facets(normalize(f"{title}\n{body}").text)
    assert (doc.level, doc.province, doc.year) == (level, province, year)


def test_a_title_year_wins_and_covers_keeps_the_year_reported_on():
    doc = facets(normalize(f"2026年政府工作报告\n{CITY_REPORT}").text)
    assert doc.title == "2026年政府工作报告"
    assert doc.year == 2026 and doc.covers == 2025
    assert doc.date == "2026-01-20"
    assert any(e.rule == "the year the title names" for e in doc.evidence)


def test_a_speech_greeting_is_not_taken_as_the_title():
    doc = facets(normalize("重庆市2025年政府工作报告\n各位代表：现在我代表市人民政府向大会报告工作。").text)
    assert doc.title == "重庆市2025年政府工作报告"


@pytest.mark.parametrize(("title", "body", "level"), [
    ("2020年上半年工作总结", "今年以来，我处在区委区政府的正确领导下，紧紧围绕街道党工委中心工作，扎实开展宣传思想工作。"
     "全街道共举办道德讲堂12场。\n某某街道办事处\n2020年7月5日", "街道"),
    ("区文化和旅游局2021年工作总结", "2021年，区文旅局坚持以习近平新时代中国特色社会主义思想为指导，全力推进文化惠民工程。", "区"),
    ("2019年度意识形态工作责任制落实情况报告", "县委宣传部：\n2019年，我镇党委认真贯彻落实县委关于意识形态工作的决策部署，"
     "镇党委书记切实履行第一责任人职责。\n中共某某镇委员会\n2019年12月20日", "镇"),
    ("关于2022年宣传思想文化工作的总结", "2022年，在县委宣传部的指导下，全乡宣传思想文化工作取得新成效。乡党委坚持每月召开一次专题会议。", "乡"),
    ("宣传思想工作总结", "2023年，全縣宣传思想工作紧紧围绕縣委中心工作，全縣共开展理论宣讲320场次。\n中共某某縣委宣传部\n2024年1月8日", "县"),
    ("2021年XX镇宣传思想工作总结", "2021年，XX镇在县委宣传部的指导下，全镇宣传工作扎实推进。", "镇"),
])
def test_level_where_only_the_text_tells_it(title, body, level):
    """The author's own unit (我X, 全X, the signature) outweighs the units it reports to."""
    assert facets(normalize(f"{title}\n{body}").text).level == level


@pytest.mark.parametrize(("title", "body", "national"), [
    ("残疾人就业条例", "第一条 为了促进残疾人就业，保障残疾人的劳动权利，根据《中华人民共和国残疾人保障法》，制定本条例。\n"
     "第二条 县级以上人民政府应当将残疾人就业纳入国民经济和社会发展规划。", True),
    ("矿产资源补偿费征收管理规定", "第一条 为了保障和促进矿产资源的勘查、保护与合理开发，制定本规定。\n"
     "第二条 在中华人民共和国领域和其他管辖海域开采矿产资源，应当依照本规定缴纳矿产资源补偿费。", True),
    ("文明行为促进条例", "第一条 为了培育和践行社会主义核心价值观，制定本条例。\n第二条 本市行政区域内的文明行为促进工作，适用本条例。", False),
])
def test_a_statute_without_a_place_is_national(title, body, national):
    """Local statutes name their place in the title and speak of 本市; national ones do neither."""
    assert (facets(normalize(f"{title}\n{body}").text).level == "中央") is national
