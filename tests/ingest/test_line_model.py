"""The learned witness of the ad-line classifier: training, shapes, and where it may speak."""

from __future__ import annotations

from ingest.normalize.adlines import is_ad
from ingest.normalize.line_model import features, model, outline, shape, train


def test_shape_reads_digits_and_latin_letters_alike() -> None:
    assert shape("ＱＱ群：27499087") == shape("qq群:10086123") == "aa群:00000000"
    assert "^a" in features("QQ 1") and "#len0" in features("QQ 1")


def test_outline_forgets_names_and_numbers() -> None:
    assert outline(shape("审核：朱琳  校对：黄丽")) == outline(shape("出镜：高婷  摄像：陈静"))
    assert outline(shape("第3页 共9页")) == outline(shape("第5页 共7页"))
    assert outline(shape("县委宣传部组织开展理论宣讲活动")) == "HHHH"


def test_training_separates_the_two_kinds() -> None:
    ads = ["扫码关注公众号领取模板", "点击下载完整版文档", "加入QQ群免费领取范文", "开通会员免费下载全文"] * 5
    prose = ["县委宣传部组织开展理论宣讲活动", "第一条 为了规范城市管理制定本条例", "全县新闻宣传工作扎实推进"] * 5
    learned = train(ads, prose, epochs=6)
    assert learned.probability("关注公众号免费下载范文模板") > 0.8
    assert learned.probability("县委组织开展宣传工作") < 0.2


def test_shipped_model_within_the_body_needs_an_advertising_word_too() -> None:
    assert model() is not None, "data/line_model.json is missing: run bench/train_line_model.py"
    line = "材料写作金句大全，速速收藏"  # no rule names it, no advertising word in it
    assert model().probability(line) >= 0.999
    assert is_ad(line, outside_body=True)
    assert not is_ad(line)
    assert is_ad("获取更多范文请留言")  # 范文 is a site's word: with the model sure, it goes anywhere
    assert not is_ad("（第1号）", outside_body=True)  # too few characters to judge
    assert not is_ad("全年发布信息1200条。", outside_body=True)  # marks of report prose
    for heading in ("基本案情", "裁判结果", "典型意义", "县委宣传部", "2020年12月10日"):
        assert not is_ad(heading) and not is_ad(heading, outside_body=True), heading  # real short lines


def test_one_mark_of_prose_beside_advertising_evidence_leaves_the_line_to_a_very_sure_witness() -> None:
    assert is_ad("本文为付费内容，已试读24%")  # 24% reads as a count, 付费 as selling
    assert is_ad("邀请19102位好友注册，免费领取普法宣传工作总结精选包")
    assert not is_ad("全县发展会员2176名，开通微信公众号")  # a count and a work word: the report's


def test_links_side_by_side_are_no_title() -> None:
    assert is_ad("你可能还需要：普法宣传工作总结PPT模板 | 讲话稿 | 述职报告", outside_body=True)
    assert not is_ad("2020年宣传思想工作总结", outside_body=True)
