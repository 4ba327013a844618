"""Facet extractors on small made-up reports: level, places, anonymized, year, events, themes, speed."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.model import Document
from ingest.facets import PageFacts, extract_facets
from ingest.facets.events import find_events
from ingest.facets.gazetteer import gazetteer
from ingest.facets.themes import score_text
from ingest.structure import build_structure

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


def facets(text: str, published: str | None = None, hint: str | None = None, path: str = "/in/site/a.txt") -> Document:
    structure = build_structure("d", text, hint)
    doc = Document(doc_id="d", title=structure.title, source_path=path, text=text, passages=structure.passages)
    extract_facets(doc, PageFacts(published=published, title_hint=hint))
    return doc


BODY = "一年来，全县宣传思想工作扎实推进，理论学习中心组坚持学习，新闻宣传报道成效明显。"


@pytest.mark.parametrize(("title", "level", "county", "city", "province"), [
    ("中共通山县委2020年宣传工作总结", "县", "通山县", "咸宁市", "湖北省"),
    ("朝天区委宣传部2020年工作总结", "区", "朝天区", "广元市", "四川省"),
    ("九江市委宣传部2020年工作总结", "市", None, "九江市", "江西省"),
    ("北京市委宣传部2020年工作总结", "省", None, None, "北京市"),
    ("重庆市文明行为促进条例", "省", None, None, "重庆市"),
    ("义乌市委宣传部2020年工作总结", "县", "义乌市", "金华市", "浙江省"),
    ("内蒙古自治区党委宣传部2020年工作总结", "省", None, None, "内蒙古自治区"),
    ("延边朝鲜族自治州文明行为促进条例", "市", None, "延边朝鲜族自治州", "吉林省"),
])
def test_level_and_place_of_named_units(title: str, level: str, county, city, province) -> None:
    doc = facets(f"{title}\n{BODY}")
    assert (doc.level, doc.county, doc.city, doc.province) == (level, county, city, province)
    assert doc.anonymized is False


def test_ambiguous_district_needs_context() -> None:
    alone = facets(f"朝阳区委宣传部2020年工作总结\n{BODY}")
    assert alone.level == "区" and alone.county is None and alone.province is None
    assert any(e.rule == "ambiguous name left open" for e in alone.evidence)
    beijing = facets("朝阳区委宣传部2020年工作总结\n一年来，在北京市委宣传部的指导下，全区宣传工作扎实推进，服务首都北京发展大局。")
    assert (beijing.county, beijing.province) == ("朝阳区", "北京市")


def test_redacted_unit_gives_level_but_no_place() -> None:
    doc = facets("X县委宣传部2020年工作总结\n一年来，X县宣传工作扎实推进，给武汉加油，学习长沙经验。")
    assert (doc.level, doc.organization, doc.anonymized) == ("县", "县委宣传部", True)
    assert (doc.province, doc.city, doc.county) == (None, None, None)
    assert any(e.facet == "anonymized" for e in doc.evidence)


def test_superior_and_visitor_are_not_the_author() -> None:
    text = ("宣传思想工作总结\n今年以来，在市委的坚强领导下，我县宣传工作取得成效。全县开展理论学习。"
            "组织干部赴安吉县学习。全县宣传干部队伍不断壮大，县委宣传部牵头开展活动。")
    doc = facets(text)
    assert doc.level == "县"
    assert doc.county is None  # 安吉县 once, as a place visited


def test_town_report_named_by_its_party_committee() -> None:
    doc = facets("今年以来，xx镇紧紧围绕区委宣传部的工作目标要求，现将有关情况汇报如下：\n"
                 "一、工作情况\n全镇开展学习。将十九届五中全会精神纳入镇党委中心组学习内容。")
    assert (doc.level, doc.organization, doc.doctype, doc.anonymized) == ("镇", "镇党委", "工作汇报", True)


def test_named_town_in_the_signature() -> None:
    doc = facets("宣传工作总结\n一年来，全镇宣传工作扎实推进，镇党委高度重视。\n中共胡埭镇委员会\n2020年12月20日")
    assert (doc.level, doc.town, doc.date, doc.year) == ("镇", "胡埭镇", "2020-12-20", 2020)


def test_short_names_count_only_beside_their_full_name_or_in_the_frame() -> None:
    gaz = gazetteer()
    assert [m.surface for m in gaz.find("乡村振兴，朝阳产业")] == []  # common words never alone
    found = gaz.find("通山县委。通山故事。振兴区", short_codes=["421224"])
    assert [(m.surface, m.full) for m in found] == [("通山县", True), ("通山", False), ("振兴区", True)]
    assert gaz.by_code[gaz.by_name["万柏林区"][0]].level == "区"
    assert gaz.by_code[gaz.by_name["神农架林区"][0]].level == "县"


def test_year_from_title_opening_and_signature() -> None:
    doc = facets("2020年宣传工作总结\n2020年，全县宣传工作扎实推进。2021年，我们将继续努力。\n县委宣传部\n2021年1月8日")
    assert (doc.year, doc.date) == (2020, "2021-01-08")
    assert doc.organization == "县委宣传部"


def test_plan_year_is_its_target_year() -> None:
    doc = facets("县委宣传部2021年宣传工作要点\n一、加强理论武装\n全县深入学习。\n2020年12月25日")
    assert (doc.doctype, doc.year) == ("工作要点", 2021)


def test_events_date_a_report_without_years() -> None:
    text = ("区委宣传部宣传思想工作总结\n一年来，以保持共产党员先进性教育活动为动力，学习党的十六届四中、五中全会精神，"
            "纪念抗日战争暨世界反法西斯战争胜利60周年。")
    doc = facets(text, published="2019-10-30")
    assert doc.year == 2005
    rules = {e.rule for e in doc.evidence if e.facet == "year"}
    assert {"dated event", "anniversary"} <= rules


def test_plenum_lists_are_expanded() -> None:
    phrases = [e.phrase for e in find_events("党的十九大和十九届二中、三中、四中、五中全会精神，“不忘初心、牢记使命”主题教育")]
    assert {"十九大", "十九届二中全会", "十九届五中全会", "不忘初心牢记使命主题教育"} <= set(phrases)


def test_page_date_bounds_a_report_and_conflict_is_recorded() -> None:
    doc = facets("2020年区人大宣传工作总结\n一年来，XX区人大常委会加强宣传工作。", published="2019-10-30")
    assert doc.year is None
    assert "title says 2020" in doc.provenance["conflicts"][0]


def test_no_clue_no_year() -> None:
    assert facets("宣传工作总结\n一年来，宣传工作扎实推进，取得成效。").year is None


def test_regulation_year_from_its_adoption_record() -> None:
    text = ("昆明市文明行为促进条例\n（2018年8月30日昆明市第十四届人民代表大会常务委员会第十一次会议通过  "
            "2018年9月21日云南省第十三届人民代表大会常务委员会第五次会议批准）\n第一章 总则\n"
            "第一条 为了培育和践行社会主义核心价值观，结合本市实际，制定本条例。\n第五十条 本条例自2019年1月1日起施行。")
    doc = facets(text)
    assert (doc.level, doc.province, doc.city, doc.year, doc.date) == ("市", "云南省", "昆明市", 2018, "2018-09-21")
    assert (doc.doctype, doc.organization) == ("条例", "市人大常委会")


def test_news_item_naming_no_year_is_of_its_page_date() -> None:
    doc = facets("李强出席东盟与中日韩领导人会议\n国务院总理李强当地时间27日出席会议并讲话。", published="2025-10-27")
    assert doc.year == 2025
    assert any(e.rule == "page published (no year in the text worth trusting)" for e in doc.evidence if e.facet == "year")
    assert facets("李强出席东盟与中日韩领导人会议\n国务院总理李强27日出席会议。").year is None


def test_a_news_dateline_makes_a_story_of_its_page_year_whatever_its_title_or_earlier_years() -> None:
    text = ("习近平在全国生态环境保护大会上发表重要讲话\n央视网消息（新闻联播）：2022年以来，各地持续推进生态环境保护。"
            "2022年全国空气质量持续改善。\n会议指出，要坚持不懈推进生态文明建设。")
    doc = facets(text, published="2023-07-18")
    assert (doc.doctype, doc.year) == ("新闻报道", 2023)
    assert any(e.rule == "news dateline in opening" for e in doc.evidence if e.facet == "doctype")
    assert facets(text).year == 2022  # without the page's date, the year the story names


def test_the_only_year_a_text_names_dates_it_when_nothing_else_does() -> None:
    doc = facets("解放军发布新修订的共同条令\n中央军委主席习近平日前签署命令，发布新修订的条令，自2025年4月1日起施行。")
    assert doc.year == 2025
    assert any(e.rule == "the only year the text names" for e in doc.evidence if e.facet == "year")
    two = facets("求是杂志发表重要文章\n文章回顾了改革的历程，指出2015年推进供给侧改革，2024年扩大内需取得进展。")
    assert two.year is None  # two years named, no clue decides


def test_congress_sessions_are_dated() -> None:
    mentions = {m.phrase: (m.earliest, m.rule) for m in find_events(
        "参加十四届全国人大二次会议的代表，第十三届全国人民代表大会第五次会议，全国政协十四届三次会议；"
        "十四届全国人大常委会第十次会议不算")}
    assert mentions == {"十四届全国人大二次会议": (2024, "congress session"),
                        "第十三届全国人民代表大会第五次会议": (2022, "congress session"),
                        "全国政协十四届三次会议": (2025, "congress session")}


def test_bare_year_before_an_event_name_in_the_title() -> None:
    assert facets("李强出席2024世界人工智能大会开幕式\n李强在沪出席大会并致辞。").year == 2024
    assert facets("2000多名代表参加宣传工作会议\n会议在京举行，宣传工作扎实推进。").year is None


@pytest.mark.parametrize(("text", "year", "rule"), [
    # a statute reprinted with its amendments marked is of its latest version
    ("现金管理暂行条例\n1988年9月8日 中华人民共和国国务院令第12号\n第一条 为改善现金管理，制定本条例。\n"
     "第二十条 有下列情形之一的，给予处罚：(二)超出核定的库存现金限额留存现金的。(2011年1月8日删除)\n"
     "第二十五条 本条例自1988年10月1日起施行。", 2011, "amendment noted in the body"),
    # a statute without its adoption record is of the year it takes effect
    ("最高人民法院关于海事法院受理案件范围的规定\n根据有关法律，现将海事法院受理案件的范围规定如下：\n"
     "一、海事侵权纠纷案件\n1.船舶碰撞损害责任纠纷案件；\n二、本规定自2016年3月1日起施行。最高人民法院于2001年9月发布的规定同时废止。",
     2016, "date it takes effect"),
])
def test_statute_year_from_its_text(text: str, year: int, rule: str) -> None:
    doc = facets(text)
    assert doc.year == year
    assert any(e.rule == rule for e in doc.evidence)


def test_a_statute_is_of_the_unit_its_title_opens_with() -> None:
    doc = facets("上海市促进浦东新区商事调解规定\n第一条 为了促进浦东新区商事调解发展，根据有关法律，制定本规定。\n"
                 "第二条 浦东新区人民政府应当加强领导。")
    assert (doc.level, doc.province) == ("省", "上海市")
    report = facets("浦东新区2020年宣传思想工作总结\n2020年，浦东新区宣传思想工作扎实推进，上海市委宣传部给予指导。")
    assert report.level == "区"


def test_a_national_statute_saying_ben_diqu_is_still_central() -> None:
    doc = facets("退役军人安置条例\n第一章 总则\n第一条 为了规范退役军人安置工作，制定本条例。\n"
                 "第五条 市人民政府和县级人民政府应当根据本地区实际，做好退役军人安置工作。")
    assert doc.level == "中央"


@pytest.mark.parametrize("word", ["本区域", "全市场"])
def test_words_running_into_a_kind_are_no_self_reference(word: str) -> None:
    doc = facets(f"农业普查条例\n第一章 总则\n第一条 为了科学组织普查，制定本条例。\n第五条 普查对象应当如实提供{word}内的情况。")
    assert doc.level == "中央"


def test_a_judicial_interpretation_is_of_its_record() -> None:
    text = ("最高人民法院关于审理未成年人刑事案件具体应用法律若干问题的解释\n2005年12月12日 最高人民法院审判委员会第1373次会议通过\n"
            "2006年1月11日 最高人民法院公告公布\n2006年1月23日 施行\n第一条 本解释所称未成年人刑事案件，是指被告人实施被指控的犯罪时已满十四周岁不满十八周岁的案件。")
    doc = facets(text)
    assert (doc.doctype, doc.year) == ("司法解释", 2006)


def test_year_after_a_news_dateline_opens_the_text() -> None:
    doc = facets("春运以来全社会跨区域人员流动量超30亿人次\n央视网消息（新闻联播）：2025年综合运输春运工作专班数据显示，"
                 "今年春运以来全社会跨区域人员流动量累计超过30亿人次。")
    assert doc.year == 2025


def test_national_law_is_central() -> None:
    assert facets("中华人民共和国国家通用语言文字法\n第一条 为推动国家通用语言文字的规范化。").level == "中央"


def test_a_rule_of_the_army_is_central_though_it_names_county_congresses() -> None:
    doc = facets("中国人民解放军选举全国人民代表大会和县级以上地方各级人民代表大会代表的办法\n"
                 "第一条 根据《中华人民共和国全国人民代表大会和地方各级人民代表大会选举法》，制定本办法。\n"
                 "第二条 驻安徽省某县的部队，选举县级人民代表大会代表。")
    assert doc.level == "中央" and doc.province is None


def test_themes_need_a_real_share() -> None:
    passages = ["一是强化理论武装，理论学习中心组集中学习十二次，开展理论宣讲百余场。"] * 10
    passages.append("同时做好疫情期间的相关工作。")
    doc = facets("理论学习工作总结\n" + "\n".join(passages))
    assert "理论学习" in doc.themes
    assert "疫情宣传" not in doc.themes  # one word in passing
    assert "理论学习" in doc.passages[0].themes
    assert score_text("扫黄打非")["扫黄打非"] == 1.5  # the longest phrase is read, not also 扫黄 and 打非


def test_source_from_reader_or_folder() -> None:
    assert facets("宣传工作总结\n正文。", path="/data/范文站/a.txt").source == "范文站"


def test_planning_words_inside_a_title_do_not_make_it_a_plan():
    """计划生育 names a policy, not a 工作计划; the regulation is a 条例."""
    from archive.model import Document
    from ingest.facets import PageFacts, extract_facets
    from ingest.structure import build_structure

    text = "广东省人口与计划生育条例\n第一条 为了实现人口与经济、社会、资源、环境的协调发展，制定本条例。"
    structure = build_structure("d-1", text)
    doc = Document(doc_id="d-1", title=structure.title, source_path="x", text=text, passages=structure.passages)
    extract_facets(doc, PageFacts())
    assert doc.doctype == "条例"
