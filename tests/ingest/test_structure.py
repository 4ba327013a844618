"""Structure: title and frame lines, heading hierarchy, passages with exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.normalize import normalize
from ingest.readers import read_path
from ingest.structure import build_structure, match_heading, read_frame
from ingest.structure.dates import cn_number, find_dates

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed_texts() -> list[tuple[str, str]]:
    return [(p.name, normalize(read_path(p)[0].text).text) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.mark.parametrize(("name", "text"), seed_texts(), ids=lambda v: v[:3] if isinstance(v, str) else "")
def test_passage_offsets_index_the_text_exactly(name: str, text: str) -> None:
    structure = build_structure("d", text)
    assert structure.passages, name
    previous_end = 0
    for passage in structure.passages:
        assert text[passage.start:passage.end] == passage.text
        assert passage.text == passage.text.strip() and passage.text
        assert passage.start >= previous_end
        previous_end = passage.end
    assert [p.ordinal for p in structure.passages] == list(range(1, len(structure.passages) + 1))


def test_section_paths_follow_the_heading_hierarchy() -> None:
    text = "\n".join([
        "县委宣传部工作汇报",
        "近三年来，全县宣传思想文化战线取得成绩。",
        "一、举旗帜，抓导向",
        "一是理论教育实现全覆盖。县委理论学习中心组坚持学习。",
        "二、管阵地、强队伍，舆论引导监管工作“出新出彩”",
        "（一）县内宣传",
        "三是网络监管清网化怨。建立健全了应急处置机制。",
        "1.舆情监测",
        "二是下一个。",
    ])
    s = build_structure("d", text)
    assert s.title == "县委宣传部工作汇报" and s.title_line == 0
    sections = {p.text[:6]: p.section for p in s.passages}
    assert sections["近三年来，全"] == []
    assert sections["一是理论教育"] == ["一、举旗帜，抓导向", "一是理论教育实现全覆盖"]
    assert sections["三是网络监管"] == ["二、管阵地、强队伍，舆论引导监管工作“出新出彩”", "（一）县内宣传", "三是网络监管清网化怨"]
    assert sections["1.舆情监测"][-1] == "1.舆情监测"
    assert sections["二是下一个。"] == ["二、管阵地、强队伍，舆论引导监管工作“出新出彩”", "（一）县内宣传", "1.舆情监测", "二是下一个"]


def test_long_paragraph_is_cut_at_its_clauses_in_sequence() -> None:
    clause = "加强宣传阵地建设，做好各项工作，取得明显成效，群众满意度不断提升"
    para = f"一是{clause}。二是{clause}；三是{clause}。其中一是指标之一。四是{clause}。"
    text = "一、工作成效\n" + para
    s = build_structure("d", text)
    pieces = [p.text[:2] for p in s.passages[1:]]
    assert pieces == ["一是", "二是", "三是", "四是"]  # 其中一是 is no clause: out of sequence
    assert all(text[p.start:p.end] == p.text for p in s.passages)
    assert s.passages[2].section == ["一、工作成效", f"二是{clause}"]


def test_run_in_heading_after_a_space_starts_a_passage() -> None:
    text = "一、压实工作责任，意识形态主阵地更加牢固 (一)落实意识形态工作主体责任。\n一是坚持党对意识形态工作绝对领导。"
    s = build_structure("d", text)
    assert [p.text for p in s.passages[:2]] == ["一、压实工作责任，意识形态主阵地更加牢固", "(一)落实意识形态工作主体责任。"]
    assert s.passages[2].section == ["一、压实工作责任，意识形态主阵地更加牢固", "(一)落实意识形态工作主体责任",
                                     "一是坚持党对意识形态工作绝对领导"]


def test_own_title_beats_the_site_copy_and_the_addressee_is_split_off() -> None:
    text = ("中共通山县委落实意识形态,工作责任制情况汇报\n"
            "中共通山县委2020年落实意识形态 工作责任制情况汇报 中共咸宁市委:\n"
            "2020年，通山县委坚决贯彻落实中央和省委、市委意识形态工作部署。现将工作情况汇报如下：\n"
            "一年来，我们的工作有成效。\n"
            "中共通山县委 2021 年 1 月 22 日")
    s = build_structure("d", text)
    assert s.title == "中共通山县委2020年落实意识形态工作责任制情况汇报"
    assert s.title_line == 1
    assert s.addressee == "中共咸宁市委"
    assert s.date == "2021-01-22"
    assert s.frame.signature_lines == [4]
    assert any(p.text == "中共咸宁市委" for p in s.passages)  # the addressee stays searchable
    assert all(text[p.start:p.end] == p.text for p in s.passages)


def test_salutation_ends_the_head() -> None:
    s = build_structure("d", "在全市宣传思想工作会议上的汇报发言\n尊敬的×，同志们：\n下面，我代表×区汇报。")
    assert s.title == "在全市宣传思想工作会议上的汇报发言"
    assert s.frame.salutation_line == 1 and s.frame.body_start == 2


def test_no_title_line_falls_back_to_hint_or_opening() -> None:
    text = "今年以来，xx镇紧紧围绕区委宣传部的工作目标要求，全面贯彻落实精神，取得了一定成效。"
    assert build_structure("d", text).title_line is None
    assert build_structure("d", text).title.endswith("…")
    assert build_structure("d", text, "某镇宣传工作汇报").title == "某镇宣传工作汇报"


def test_regulation_record_lines_and_cover_letter() -> None:
    text = ("安徽省人民代表大会常务委员会\n关于批准《淮南市文明行为促进条例》\n的决议\n"
            "淮南市文明行为促进条例\n（2016年12月16日淮南市第十五届人民代表大会常务\n"
            "委员会第三十三次会议通过2017年3月31日安徽省第十二届人民代表大会常务委员会第三十七次会议批准）\n"
            "第一章 总 则\n第一条为了规范与引导公民行为，制定本条例。")
    frame = read_frame(text, "淮南市文明行为促进条例")
    assert frame.title == "淮南市文明行为促进条例" and frame.title_line == 3
    assert frame.record_lines == [4, 5]
    s = build_structure("d", text, "淮南市文明行为促进条例")
    assert s.passages[-1].section == ["第一章 总 则"]


@pytest.mark.parametrize(("line", "rank"), [
    ("第一章  总  则", 1), ("一、举旗帜", 3), ("（二）意识形态", 4), ("(三)主流媒体", 4), ("1.志愿服务", 5),
    ("（1）细则", 6), ("三是网络监管", 7), ("” (三)意识形态工作", 4),
])
def test_heading_ranks(line: str, rank: int) -> None:
    heading = match_heading(line)
    assert heading is not None and heading.rank == rank


@pytest.mark.parametrize("line", ["十九届二中、三中全会", "2020年，通山", "第一条 为了", "一次性", "三是"])
def test_not_headings(line: str) -> None:
    assert match_heading(line) is None


def test_dates_in_every_written_form() -> None:
    text = "中共通山县委2021年1月22日 二〇二一年一月二十二日 2020-3-4 2019.10.30 2020年13月1日"
    assert [d.iso for d in find_dates(text)] == ["2021-01-22", "2021-01-22", "2020-03-04", "2019-10-30"]
    assert (cn_number("一百"), cn_number("六十"), cn_number("二十二"), cn_number("二〇二〇")) == (100, 60, 22, 2020)


def test_without_a_title_line_a_headline_first_line_is_the_whole_title():
    from ingest.structure import fallback_title

    text = "【杭州第19届亚运会】龙舟赛开赛 男女4×100米接力中国队夺冠\n本台消息，昨天龙舟赛开赛。"
    assert fallback_title(text, None) == "【杭州第19届亚运会】龙舟赛开赛 男女4×100米接力中国队夺冠"
    sentence = "央视网消息（新闻联播）：今天，国家发展改革委出台了促进民间投资的有关政策。"
    assert fallback_title(sentence, None) == sentence[:30] + "…"
    deck = ("习近平对防汛救灾工作作出重要指示强调 要全力组织抢险救援、伤员救治 妥善安置受灾群众 "
            "最大限度减少人员伤亡和财产损失")  # a headline with its deck: long, but it ends no sentence
    assert fallback_title(deck + "\n新华社北京电，习近平作出重要指示。", None) == deck


def test_a_sentence_of_a_site_above_the_title_does_not_hide_it() -> None:
    """An ad the cleaner did not know, written as a sentence, stands above the title: the title
    still heads the frame; a news headline followed by a short stopped sentence stays the title."""
    text = "我们持续加强宣传阵地建设，需要可咨询400-846-6797，保证。\n广东省土地权属纠纷处理条例\n第一条 为了及时处理纠纷，制定本条例。"
    assert read_frame(text).title == "广东省土地权属纠纷处理条例"
    news = "李强出席2024世界人工智能大会开幕式\n李强在沪出席大会并致辞。"
    assert read_frame(news).title is None


def test_a_label_of_a_site_above_the_title_does_not_hide_it() -> None:
    """Site labels the cleaner did not know (a channel bar, a paid column's name) stand above the
    title; the witness takes them for labels, so the title still heads the frame. A news headline
    above a deck that ends with a document word (决定) is no label: it stays where it is."""
    for label in ("热点专题：政府文件", "付费专栏 · 法规解读写作精讲 · 第15期"):
        text = f"{label}\n仲裁委员会登记暂行办法\n第一条 根据《中华人民共和国仲裁法》，制定本办法。"
        assert read_frame(text).title == "仲裁委员会登记暂行办法"
    news = "庆祝中国共产党成立105周年大会在京隆重举行\n李强主持赵乐际王沪宁丁薛祥李希韩正出席蔡奇宣读决定\n本台消息，大会隆重举行。"
    assert read_frame(news).title is None


def test_a_widget_taken_for_the_headline_gives_way_to_the_title_above_it() -> None:
    """The page's headline is read from the line above its meta line; where that is a widget
    under the title (followers and likes), the title line above it heads the frame."""
    text = ("中华人民共和国档案法\n86744粉丝 · 114获赞\n1987年9月5日 第六届全国人民代表大会常务委员会第二十二次会议通过\n"
            "第一条 为了加强档案管理，制定本法。")
    assert read_frame(text, "86744粉丝 · 114获赞").title == "中华人民共和国档案法"


def test_a_button_of_a_few_characters_above_the_title_does_not_hide_it() -> None:
    text = "已关注\n计划生育技术服务管理条例\n第一章 总则\n第一条 为了加强对计划生育技术服务工作的管理，制定本条例。"
    assert read_frame(text).title == "计划生育技术服务管理条例"


def test_a_story_headline_above_its_dateline_outranks_a_site_line_that_looks_like_a_title() -> None:
    text = ("AI写作助手 · 一键生成普法宣传工作总结\n习近平抵达莫斯科开始对俄罗斯进行国事访问\n"
            "央视网消息（新闻联播）：当地时间3月20日下午，国家主席习近平乘专机抵达莫斯科。")
    assert read_frame(text).title == "习近平抵达莫斯科开始对俄罗斯进行国事访问"
    deck = ("江泽民同志追悼大会在北京人民大会堂隆重举行\n李克强栗战书参加追悼大会 蔡奇主持大会\n"
            "央视网消息（新闻联播）：中共中央在人民大会堂隆重举行追悼大会。")
    assert build_structure("d", deck).title == "江泽民同志追悼大会在北京人民大会堂隆重举行"  # a deck is no headline


def test_without_a_title_line_a_story_is_named_by_the_line_above_its_dateline_below_a_label() -> None:
    text = ("付费专栏 · 法规解读写作精讲 · 第15期\n大道众行远 携手启新程——习近平主席出席金砖国家领导人会晤\n"
            "央视网消息（新闻联播）：8月21日至24日，国家主席习近平应邀赴南非出席会晤。")
    assert build_structure("d", text).title == "大道众行远 携手启新程——习近平主席出席金砖国家领导人会晤"
    assert "网络不给力" not in normalize("网络不给力，点击重试\n" + text).text  # a page's message is chrome
