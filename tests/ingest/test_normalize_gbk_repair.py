"""Step 1: misaligned GBK runs are decoded again; clean text is never touched."""

from __future__ import annotations

import pytest

from ingest.normalize.gbk_repair import repair_misalignment


def misaligned(text: str, stray: int, at: int = 0) -> str:
    """`text` as read when one stray byte sits before character `at` of its GBK bytes."""
    data = text.encode("gb18030")
    head = text[:at].encode("gb18030")
    return (head + bytes([stray]) + data[len(head) :]).decode("gb18030", errors="replace")


def test_seed_002_heading() -> None:
    text, report = repair_misalignment("。ㄒ唬┮庾R(shí)形態考核細化到位")
    assert text == "（一）意識(shí)形態考核細化到位"
    assert report["step"] == "gbk_repair" and report["repaired"] == 1
    assert report["examples"] == [{"from": "。ㄒ唬┮庾R", "to": "（一）意識"}]


@pytest.mark.parametrize("stray", [0xA1, 0xB0, 0xC8, 0xD6, 0x81, 0xFE])
@pytest.mark.parametrize(
    "line",
    [
        "（二）意識形態教育受益匪淺，通過PPT展示學習成果。",
        "（三）主流媒体宣传百花齐放，开通APP客户端。",
        "（十二）持续推进文明城市创建，建设大型LED公益广告屏。",
    ],
)
def test_misaligned_headings_are_restored(line: str, stray: int) -> None:
    """A Latin letter later in the line is a valid trail byte: it realigns the bytes
    without losing any, so the whole line comes back."""
    garbled = misaligned(line, stray)
    assert garbled != line
    assert repair_misalignment(garbled)[0] == line


@pytest.mark.parametrize("stray", [0xA1, 0xB6, 0xC8])
@pytest.mark.parametrize(
    "line",
    ["二、强化宣传教育，干事创业的思想基础更加坚定 (一)营造浓厚的社会宣传氛围。", "（三）主流媒体宣传百花齐放，全年录用稿件120篇。"],
)
def test_a_byte_lost_where_alignment_returns_is_guessed_from_its_neighbours(line: str, stray: int) -> None:
    """A space or digit is no valid trail byte: the decoder drops the byte before it
    (U+FFFD). The lost character's lead byte is known; the one that makes words with
    its neighbours (坚定, 稿件) is taken."""
    assert repair_misalignment(misaligned(line, stray))[0] == line


def test_lost_partner_byte_restored_from_the_documents_own_pinyin_notes() -> None:
    garbled = "。ㄋ模┬侣勑麄麝(duì)伍不斷擴充"
    assert repair_misalignment(garbled)[0] == "（四）新聞宣傳隊(duì)伍不斷擴充"  # 隊伍 is a word
    with_note = garbled + "，調研隊(duì)伍"
    assert repair_misalignment(with_note)[0] == "（四）新聞宣傳隊(duì)伍不斷擴充，調研隊(duì)伍"


def test_lost_lead_byte_restored_from_pinyin_note() -> None:
    """`F` is the trail byte of 現 (AC 46); the note (xiàn) and 現(xiàn) elsewhere say which."""
    assert repair_misalignment(",F(xiàn)將有關情況匯報如下")[0] == ",F(xiàn)將有關情況匯報如下"
    text = ",F(xiàn)將有關情況匯報如下，現(xiàn)場"
    assert repair_misalignment(text)[0] == ",現(xiàn)將有關情況匯報如下，現(xiàn)場"


def test_an_uncommon_character_before_a_note_is_checked_against_the_reading() -> None:
    """顒 (EE 84) lost its first byte's partner: 84 + the reading dòng is 動 (84 D3)."""
    text = "環(huán);顒(dòng)，活動(dòng)"
    assert repair_misalignment(text)[0] == "環(huán);動(dòng)，活動(dòng)"


def test_missing_heading_number_restored_from_its_neighbours() -> None:
    text = "(五)文化宣傳。\n。┬聲r(shí)代文明實踐更上層樓。\n（七）志愿服務。"
    assert repair_misalignment(text)[0] == "(五)文化宣傳。\n（六）新時(shí)代文明實踐更上層樓。\n（七）志愿服務。"


@pytest.mark.parametrize(
    "clean",
    [
        "近三年来，在县委的坚强领导下，全县宣传思想文化战线以习近平新时代中国特色社会主义思想为指导。",
        "今年以來,xx鎮緊緊圍繞區委宣傳部的工作目標要求,全面貫徹落實精神,圍繞中心,服務大局。",
        "注音符号ㄅㄆㄇㄈ用于教学。",  # zhuyin: odd symbols side by side are real
        "┌──┬──┐\n│姓名│单位│\n└──┴──┘",  # a drawn table
        "创新中加快发展─访中共朝天区委书记",  # a box-drawing line used as a dash
        "日本の文化交流活动",  # Japanese kana
        "\ue004 文明行为规范",  # a Word symbol-font character
        "β受体阻滞剂、α粒子",
        "庾信文章老更成，凌云健笔意纵横。",  # uncommon characters, correctly encoded
        "X县委宣传部组织开展X场次宣讲活动，覆盖X万人次。",
        "中共通山县委2021年1月22日",
    ],
)
def test_clean_text_is_never_changed(clean: str) -> None:
    assert repair_misalignment(clean) == (clean, {"step": "gbk_repair", "repaired": 0, "examples": []})


def test_report_examples_are_bounded() -> None:
    text = "\n".join(misaligned(f"（三）主流媒体宣传百花齐放，开通APP客户端{n}个。", 0xA1) for n in range(100, 160))
    repaired, report = repair_misalignment(text)
    assert report["repaired"] == 60
    assert len(report["examples"]) <= 20
    assert "ㄈ" not in repaired


def test_a_lost_last_byte_at_the_end_of_a_paragraph_is_a_full_stop() -> None:
    """。 and 、 share their lead byte A1: when the trail byte is lost at a line's end, the
    paragraph ends with 。."""
    line = "第二十七条 鼓励用人单位优先录用和聘用先进模范人物。"
    garbled = misaligned(line, 0xC8, at=line.index("鼓")) + "\n第二十八条 县人民政府应当对表现突出的单位给予表彰。"
    repaired = repair_misalignment(garbled)[0].split("\n")[0]
    assert repaired.endswith("。"), repaired


@pytest.mark.parametrize(("clean", "cut"), [("固体废物产生率控制在合理水平。", 8), ("强化对人工智能基础研究与技术开发的支持。", 2)])
def test_of_two_readings_the_bytes_allow_the_more_frequent_character_wins(clean: str, cut: int) -> None:
    """A stray B6 before 在 (D4 DA) gives 对诤侠…; so would a stray D4 inside 对 (B6 D4) after a
    lost lead byte. 在合理 or 对合理 re-garble alike and read alike: 在 is the more frequent."""
    raw = clean[:cut].encode("gb18030") + b"\xb6" + clean[cut:].encode("gb18030")
    garbled = raw.decode("gb18030", errors="replace")
    assert garbled != clean
    assert repair_misalignment(garbled)[0].startswith(clean[:-1])


def test_the_bracket_before_a_repaired_run_counts_for_its_heading_number() -> None:
    """A stray D6 before 五 gives （治澹┰…; a stray E5 after 治 would give the same bytes. The （
    standing before the run makes （五） a heading marker, which 治） is not."""
    clean = "（五）造成其他严重后果的。"
    raw = clean[:1].encode("gb18030") + b"\xd6" + clean[1:].encode("gb18030")
    garbled = raw.decode("gb18030", errors="replace")
    assert garbled.startswith("（治")
    assert repair_misalignment(garbled)[0].startswith("（五）造成其他严重后果的")
