"""Step 4: spaces, page numbers, running headers, and lines broken inside a sentence."""

from __future__ import annotations

import pytest

from ingest.normalize.joins import continues, join_broken_lines
from ingest.normalize.lines import is_heading, is_marker_only, is_pure_heading, looks_like_title
from ingest.normalize.pages import strip_page_furniture
from ingest.normalize.whitespace import tidy, tighten


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("依法依规善处置涉通山一般性网络舆情 313 起，有效维护", "依法依规善处置涉通山一般性网络舆情313起，有效维护"),
        (" 2020 年，通山县委坚决贯彻", "2020年，通山县委坚决贯彻"),
        ("中共通山县委 2021 年 1 月 22 日", "中共通山县委2021年1月22日"),
        ("我县新闻宣 传工作气象一新。", "我县新闻宣传工作气象一新。"),  # PDF artefact inside a word
        ("按照“三贴近”的要求。 按照", "按照“三贴近”的要求。按照"),
        ("a\t\tb   c", "a b c"),
        ("建设大型 led 公益广告屏，", "建设大型 led 公益广告屏，"),  # Latin words keep their spaces
        ("中共通山县委2020年落实意识形态 工作责任制情况汇报 中共咸宁市委：",
         "中共通山县委2020年落实意识形态 工作责任制情况汇报 中共咸宁市委："),  # not running text
        ("主 任 张 三", "主 任 张 三"),  # a name list lines up with spaces
        ("第一条  为了培育和 践行社会主义核心价值观，", "第一条 为了培育和践行社会主义核心价值观，"),
    ],
)
def test_tighten(line: str, expected: str) -> None:
    assert tighten(line) == expected


def test_tidy_drops_blank_lines_and_knows_every_line_break() -> None:
    text, report = tidy("  第一段。\r\n\r\n\n 第二段。\r第三段。\u2028第四段。\n\n")
    assert text == "第一段。\n第二段。\n第三段。\n第四段。"
    assert report == {"step": "whitespace", "lines_in": 7, "lines_out": 4}


@pytest.mark.parametrize("line", ["- 3 -", "— 12 —", "·12·", "・ 7 ・", "— Page 7 —", "第 3 页", "第3页 共12页", "共12页 第3页", "3/12", "Page 3 of 12",
                                  "— 3 / 5 —", "– 8 –", "~ 4 ~", "页码：3/8", "第3页（共8页）",
                                  "4 of 5", "P5", "--- Page 3 of 5 ---", "◀ 1/9 ▶",
                                  "（第2页）", "3/4页", "─ 5 ─", "2016-03-31      8", "政府文件 第7页"])
def test_page_numbers_go(line: str) -> None:
    text, report = strip_page_furniture(f"上一页的最后一句，\n{line}\n下一页的第一句。")
    assert text == "上一页的最后一句，\n下一页的第一句。"
    assert report["page_numbers"] == 1


@pytest.mark.parametrize("line", ["3", "2020", "一、总体情况", "第三章 法律责任", "共发放宣传资料3000份"])
def test_other_short_lines_are_no_page_numbers(line: str) -> None:
    assert strip_page_furniture(line)[0] == line


def test_a_bare_number_cutting_a_sentence_is_a_page_number() -> None:
    text, report = strip_page_furniture("开展扶贫济困、助残救孤、救灾捐赠\n7\n等慈善活动。")
    assert text == "开展扶贫济困、助残救孤、救灾捐赠\n等慈善活动。" and report["page_numbers"] == 1


def test_in_a_paginated_file_a_lone_number_between_paragraphs_goes_too() -> None:
    text = "第一条 总则内容，\n- 1 -\n继续。\n第二条 规定。\n5\n第三条 规定。"
    assert strip_page_furniture(text)[0] == "第一条 总则内容，\n继续。\n第二条 规定。\n第三条 规定。"


def test_a_number_in_brackets_goes_like_a_bare_one() -> None:
    """（3） cutting a sentence is a page number, and then so is one between items; in a file not
    shown to be paginated, a list's （1） on its own line stays."""
    paginated = "村（居）民委员会协助做好工作\n（3）\n。鼓励村民委员会参与。\n（一）禁止家暴；\n〔4〕\n（二）禁止遗弃。"
    assert strip_page_furniture(paginated)[0] == "村（居）民委员会协助做好工作\n。鼓励村民委员会参与。\n（一）禁止家暴；\n（二）禁止遗弃。"
    items = "主要做法如下。\n（1）\n强化理论武装。\n（2）\n创新宣传方式。"
    assert strip_page_furniture(items)[0] == items


def test_a_running_header_with_its_page_number_goes_an_attachment_label_stays() -> None:
    text = "上一页的最后一句，\n山东省人民政府　　　　　　2\n下一页的第一句。\n附件  1\n县委宣传部工作方案。"
    assert strip_page_furniture(text)[0] == "上一页的最后一句，\n下一页的第一句。\n附件  1\n县委宣传部工作方案。"
    tidied = tidy(text)[0]  # as the pipeline has it: the spaces between the header and its number go first
    assert "山东省人民政府2" in tidied
    assert "山东省人民政府" not in strip_page_furniture(tidied)[0]


def test_a_column_of_numbers_is_no_page_numbers() -> None:
    text = "上一页的最后一句，\n- 1 -\n各乡镇参加人数如下，\n12\n35\n8\n合计55人。"
    assert strip_page_furniture(text)[0] == "上一页的最后一句，\n各乡镇参加人数如下，\n12\n35\n8\n合计55人。"


def test_a_bare_number_between_paragraphs_of_an_unpaginated_file_stays() -> None:
    text = "上半年共开展活动。\n3\n下半年继续开展。"
    assert strip_page_furniture(text)[0] == text


def test_running_headers_at_page_breaks_go_the_title_stays() -> None:
    pages = [f"县委宣传部工作简报\n第{n}页的正文，内容各不相同。\n- {n} -" for n in range(1, 5)]
    kept, report = strip_page_furniture("\n".join(pages))
    assert kept.split("\n")[0] == "县委宣传部工作简报"
    assert kept.count("县委宣传部工作简报") == 1
    assert report["running_header_lines"] == 3 and report["page_numbers"] == 4


def test_running_header_cutting_sentences_goes() -> None:
    text = "\n".join(["通山县2020年工作报告", "一是加强领导，完善", "通山县2020年工作报告", "机制建设。二是压实责任，落实",
                     "通山县2020年工作报告", "主体责任。"])
    assert strip_page_furniture(text)[0] == "通山县2020年工作报告\n一是加强领导，完善\n机制建设。二是压实责任，落实\n主体责任。"


def test_a_label_cutting_a_sentence_goes_a_fragment_of_an_uneven_wrap_stays() -> None:
    """A label a page break put inside a sentence goes where it occurs once; a short fragment of
    the sentence itself, in the same place, stays (the learned witness tells them apart)."""
    labels = ["内部资料 注意保存", "file:///C:/Users/Administrator/Desktop/政府文件.html 1/7", "【3】"]
    for label in labels:
        text = f"县级以上人民政府各部门应当在道路交通安全工作中履行相应的职责，\n{label}\n并按照隶属关系指导和督促本系统落实责任。"
        assert label not in strip_page_furniture(text)[0]
    fragment = "由旅游行政管理部门依法处理，情节严重的，由\n旅游行政管理部门\n予以警告并责令改正。"
    assert strip_page_furniture(fragment)[0] == fragment


@pytest.mark.parametrize(
    "line",
    ["支持以下行为：", "江苏省人民代表大会常务委员会", "市、县（市、区）精神文明建设指导委员会、人民政府"],
)
def test_short_lines_a_document_repeats_are_no_running_headers(line: str) -> None:
    """Regulations repeat such lines; away from page breaks they are text."""
    text = "\n".join(f"{line}\n第{n}条 这是第{n}条的内容。" for n in "一二三四")
    assert strip_page_furniture(text)[0] == text


def test_repeated_headings_are_no_running_headers() -> None:
    """A file holding one report three times repeats its headings; they all stay."""
    report = "一、立足理论根本，着力提高干部理论素养\n正文一。\n（一）加强学习\n正文二。\n1.制度建设\n正文三。"
    text = "\n".join([report] * 3)
    assert strip_page_furniture(text)[0] == text


@pytest.mark.parametrize(
    ("line", "heading", "pure"),
    [
        ("一、压实工作责任，意识形态主阵地更加牢固", True, True),
        ("（二）尽责担当彰显作为。在新冠肺炎疫情防控工作中，全", True, False),
        ("(三)意识形态工作做到“五纳入”。", True, True),
        ("第一章  总则", True, True),
        ("1.志愿x网完成情况：xxx—xx月完成了", True, True),
        ("一是深入推进文明村镇、文", False, False),
        ("2020.10.30", False, False),
        ("1.9万人注册", False, False),
    ],
)
def test_heading_detection(line: str, heading: bool, pure: bool) -> None:
    assert is_heading(line) is heading
    assert is_pure_heading(line) is pure


@pytest.mark.parametrize("line", ["三是", "一、", "（十二）", "第一章", "①"])
def test_marker_only(line: str) -> None:
    assert is_marker_only(line)


def test_title_detection_uses_doctype_words() -> None:
    assert looks_like_title("中共通山县委落实意识形态,工作责任制情况汇报")
    assert not looks_like_title("一是坚持党对意识形态工作绝对领导，县委常委会将")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("（二）尽责担当彰显作为。在新冠肺炎疫情防控工作中，全", "媒体开设抗疫专题专栏，通过乡村大喇叭营造了浓厚氛围。"),
        ("一是深入推进文明村镇、文", "明单位、文明家庭、文明校园创建工作。县检察院获评国家级文明单位。"),
        ("此外，进一步完善了《朝天区思想政治工作考", "核办法》，注重了思想政治工作的过程指导和监督。"),
        ("三是", "新闻报道和对外宣传工作抓住主题，围绕中心，迈上了新台阶。"),
        ("一、", "总体情况"),
        ("第一条", "为了培育和践行社会主义核心价值观，制定本条例。"),
        ("（2020年7月6日九江市第十五届人民代表大会常务", "委员会第二十九次会议通过）"),
        ("推出系列报道、", "连续报道、特别报道12期；开办专题栏目8期。"),
        ("（2019", "年12月31日深圳市第六届人民代表大会常务委员会第三十七"),  # a number cut from its unit
        ("深圳市第六届人民代表大会常务委员会第三十七", "次会议通过"),
        ("关于批准《宣城市文明行为促进条例》", "的决议"),  # a title's last words wrapped alone
    ],
)
def test_broken_lines_are_joined(first: str, second: str) -> None:
    assert continues(first, second)
    space = " " if first == "第一条" else ""
    assert join_broken_lines(f"{first}\n{second}")[0] == tighten(first + space + second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("一、举旗帜，抓导向，政治信念教育活动贯穿始终", "一是理论教育实现全覆盖。县委理论学习中心组坚持每月学习。"),
        ("五、守初心、勇担当，疫情防控宣传工作成效显著", "认真学习贯彻习近平总书记重要指示批示精神，深入贯彻落实。"),
        ("县委宣传部近三年工作汇报", "近三年来，在县委的坚强领导下，各项工作取得了可喜成绩。"),
        ("中共通山县委落实意识形态,工作责任制情况汇报", "2020年，通山县委坚决贯彻落实中央和省委、市委意识形态工作部署。"),
        ("一年来，我们的工作有成效、有亮点、也有不足。", "中共通山县委2021年1月22日"),
        ("中共通山县委2021年1月22日", "推荐访问：通山县委意识形态"),
        ("一是落实意识形态分析研判月报告制度，每月报送分析研判报告，", "（二）加强意识形态领域阵地建设。"),
        ("自建平台、实时分享", "根据实际需求和形式任务不断迭代"),
        ("尊敬的×，同志们：", "下面，我代表×区就宣传思想工作进行汇报发言。"),
        ("主要做法如下：", "的确取得了实效"),
    ],
)
def test_separate_lines_stay_apart(first: str, second: str) -> None:
    assert not continues(first, second)
    assert join_broken_lines(f"{first}\n{second}")[0] == f"{first}\n{second}"


def test_joining_steps_over_boilerplate_between_the_halves() -> None:
    text = "在新冠肺炎疫情防控工作中，全\n当前位置：首页 > 范文\n媒体开设抗疫专题专栏，营造了浓厚氛围。"
    joined, report = join_broken_lines(text)
    assert joined == "在新冠肺炎疫情防控工作中，全媒体开设抗疫专题专栏，营造了浓厚氛围。\n当前位置：首页 > 范文"
    assert report["joined"] == 1


def test_joined_seam_gets_chinese_punctuation_and_no_spaces() -> None:
    joined = join_broken_lines("通过多渠道宣传推介，全年发稿 1500\n余篇,位居全市前列。")[0]
    assert joined == "通过多渠道宣传推介，全年发稿1500余篇，位居全市前列。"
