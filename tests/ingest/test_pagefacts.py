"""Page-level facts read from the raw text before normalization removes their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pagefacts import page_facts
from ingest.readers import read_path

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def facts_of(name: str):
    raw = read_path(SAMPLE / name)[0]
    return page_facts(raw.text, raw.title_hint)


def test_seed_003_publication_date_site_and_title():
    info = facts_of("003_7aff6639aaa49617.txt")
    assert info.published == "2019-10-30"
    assert info.source == "gz85.com"
    assert info.title == "2020年区人大宣传工作总结材料"
    published = next(e for e in info.evidence if e.facet == "published")
    assert published.text == "发布时间: 2019.10.30" and published.line == 4


def test_seed_004_scrape_date_is_the_copy_publication_date():
    info = facts_of("004_edecab7bdecca6f6.txt")
    assert info.published == "2022-07-12"  # the copy's date, not the report's (2021-01-22)
    assert info.source == "蚂蚁文档网"
    assert info.title == "中共通山县委落实意识形态,工作责任制情况汇报"


@pytest.mark.parametrize("name", ["000_4d5dbc1edda40789.txt", "001_eaa05965459b041d.txt", "002_17ed8b2d14d05a44.txt"])
def test_seeds_without_page_chrome_have_no_page_facts(name):
    info = facts_of(name)
    assert (info.published, info.source, info.title) == (None, None, None)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("发布日期：2021年3月5日", "2021-03-05"),
        ("更新时间:2020/12/01 08:00", "2020-12-01"),
        ("时间：2021-02-30", None),  # no such day
        ("2021年3月5日，县委召开会议。", None),  # a date in the report, not a labelled page line
        ("索引号：91355/2023-584   发文日期：2023-01-05", "2023-01-05"),  # a publishing label after other fields
        ("[ 作者：梁雪　来源：央视网　更新时间：2023-12-26 ]", "2023-12-26"),
        ("2023-01-12 14:35 · 政务账号", "2023-01-12"),  # a byline opening with its date
        ("截止时间：2023-01-12", None),  # a bare 时间 label after other words dates nothing
        ("原创 王芳 央视网 2026-08-17 15:55", "2026-08-17"),  # a byline: a date with dashes, no label
        ("Uploaded by 郭倩 · 2023-01-14 · 490 views", "2023-01-14"),
        ("本文于2025-04-21发布于素材铺，已被181人阅读", "2025-04-21"),
        ("施行日期 2024-01-01", None),  # the day a statute takes effect does not date the page
        ("索引号：774/2024-58935", None),  # a number, not a date
    ],
)
def test_page_dates(line, expected):
    assert page_facts(f"标题\n{line}\n正文。").published == expected


def test_a_labelled_date_wins_over_an_earlier_byline():
    info = page_facts("央视网 2023-05-01\n标题\n发布时间：2023-06-02\n正文。")
    assert info.published == "2023-06-02"
    assert next(e for e in info.evidence if e.facet == "published").rule == "labelled date on page"
    assert page_facts("标题\n央视网 2023-05-01\n正文。").evidence[0].rule == "dated byline on page"


def test_site_from_the_page_title_when_the_page_shows_none():
    info = page_facts("正文。", "县委宣传部工作总结 - 第一范文网")
    assert (info.title, info.source) == ("县委宣传部工作总结", "第一范文网")
    assert page_facts("正文。", "县委宣传部工作总结").source is None


def test_a_domain_in_the_report_prose_is_not_the_site():
    assert page_facts("经验做法在中国文明网(www.wenming.cn)刊发。").source is None
    assert page_facts("来源：www.Wenming.cn").source == "wenming.cn"


GOV_PAGE = """首页 | 机构概况 | 政务公开 | 政务服务 | 互动交流

阅读模式  无障碍浏览  长者模式

我国多举措推动民间投资高质量发展

时间：2023-07-24  来源：央视网  字号：[大 中 小]

下载   打印   全屏   收藏

央视网消息（新闻联播）：今天（7月24日），国家发展改革委出台了促进民间投资的有关政策。"""


def test_the_line_above_the_meta_line_is_the_headline():
    info = page_facts(GOV_PAGE)
    assert info.headline == info.title == "我国多举措推动民间投资高质量发展"
    assert any(e.rule == "headline above the meta line" and e.line == 4 for e in info.evidence)


def test_chrome_between_headline_and_meta_line_is_stepped_over():
    info = page_facts("分享 | 打印 | 纠错 | 关闭\n【新思想引领新征程】中国新发展 世界新机遇\n【阅读次数：55703】\n"
                      "时间：2024-03-26  来源：央视网\n央视网消息（新闻联播）：习近平总书记指出，中国将坚持对外开放的基本国策。")
    assert info.headline == "【新思想引领新征程】中国新发展 世界新机遇"


def test_a_byline_and_the_site_name_above_the_meta_line_are_stepped_over():
    info = page_facts("当前位置：首页 ＞ 要闻动态\n中华人民共和国噪声污染防治法\n中国人大网\n2021-12-24 15:35 · 政务账号\n"
                      "发布时间：2021-12-24 08:52　来源：中国人大网\n第一条 为了防治噪声污染，制定本法。")
    assert info.headline == "中华人民共和国噪声污染防治法"


def test_a_toolbar_above_the_meta_line_is_no_headline():
    info = page_facts("下载   打印   全屏   收藏\n时间：2023-07-24\n正文。")
    assert info.headline is None


def test_a_headline_titles_a_document_whose_text_has_no_title_line(tmp_path):
    from ingest.process import process_file

    page = tmp_path / "page.txt"
    page.write_text(GOV_PAGE, encoding="utf-8")
    doc = process_file(page).prepared[0].doc
    assert doc.title == "我国多举措推动民间投资高质量发展"


PROSE_OF_A_COURT = ("根据《中华人民共和国国家赔偿法》及有关法律规定，结合人民法院国家赔偿工作实际，"
                    "现就人民法院赔偿委员会审理司法赔偿案件的若干法律适用问题解释如下。")


def test_a_headline_the_cleaner_removed_is_not_the_title(tmp_path: Path) -> None:
    """The line above the meta line is the page's headline, but when the cleaner takes it for a
    label (a paid column's name) it was chrome: the text's own title line is the title."""
    from ingest.process import process_file

    page = tmp_path / "page.txt"
    page.write_text("\n".join(["付费专栏 · 法规解读写作精讲 · 第15期", "来源：中国法院网　2021-03-01",
                               "最高人民法院关于审理民事、行政诉讼中司法赔偿案件适用法律若干问题的解释",
                               PROSE_OF_A_COURT, PROSE_OF_A_COURT]), encoding="utf-8")
    doc = process_file(page).docs[0]
    assert doc.title == "最高人民法院关于审理民事、行政诉讼中司法赔偿案件适用法律若干问题的解释"
    assert "付费专栏" not in doc.text


def test_a_headline_between_a_toolbar_and_the_meta_line_is_no_squeezed_chrome() -> None:
    """Short lines squeezed between chrome go, but not the headline right above the meta line."""
    from ingest.normalize.boilerplate import strip_boilerplate

    text = "\n".join(["A+ A A-  ｜  朗读  ｜  打印", "预付卡未使用金额经营者应向消费者返还",
                      "文章来源：中国人大网｜更新：2021-07-19", "消费者权益保护典型案例", PROSE_OF_A_COURT])
    assert "预付卡未使用金额经营者应向消费者返还" in strip_boilerplate(text)[0]


def test_a_document_number_field_is_no_headline() -> None:
    info = page_facts("许昌市城市绿化条例\n文　　号：办发〔2019〕10号\n信息来源：许昌市人民政府办公室　　点击数：85706\n第一条 为了促进城市绿化。")
    assert info.headline == "许昌市城市绿化条例"
