"""Advertising, page chrome and spam in wordings no rule was written for go; report
sentences that mention 会员, QQ, 公众号, 下载, 网站, 二维码 or 积分 stay.
The advertising below is invented for these tests, in the manner of real sites."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize
from ingest.normalize.adlines import is_ad, remove_spans, score
from ingest.normalize.boilerplate import strip_boilerplate

PROSE = "今年以来，县委宣传部坚持以习近平新时代中国特色社会主义思想为指导，围绕中心、服务大局，扎实推进各项工作。"

# Advertising no rule of data/boilerplate.txt names: the classifier's work.
NEW_ADVERTISING = [
    "本资料由文秘帮精心整理，仅供参考学习",
    "更多精品材料请访问 www.wenmi123.com",
    "【温馨提示】本文档共计3562字，下载需消耗5积分",
    "扫码关注公众号“笔杆子”，每日更新精品范文",
    "版权声明：本站资料仅供交流学习，QQ交流群：123456789",
    "海量精品范文尽在公文之家，注册即送20积分",
    "充值会员后可免费下载本站全部文档",
    "本文档售价5元，付费后即可下载",
    "添加客服微信领取配套PPT模板",
    "微信搜索小程序“写材料助手”，海量模板免费用",
    "本站所有资料均由网友上传，如有侵权请联系客服删除",
    "温馨提示：购买后请在个人中心下载",
    "VIP用户可下载word可编辑版本",
    "扫一扫，关注我们获取更多精品材料",
    "请先登录后再复制全文，新用户注册即送会员",
    "长按识别图中二维码，进入材料写作交流社群",
    "点赞、在看、转发三连，每天陪你写材料",
    "剩余内容已购买用户刷新页面后查看",
    "设为星标，精彩材料不迷路",
    "本文档由用户上传，下载后请于24小时内删除",
    "关注微信公众号“公文范文库”，回复“宣传”获取全文",
]
# Document-sharing and government-site furniture, and advertising of one kind only: rules.
FURNITURE = [
    "下载券不足？开通会员立享无限下载",
    "资料来源于网络，版权归原作者所有，仅供学习参考",
    "下载",
    "打印",
    "全屏",
    "收藏",
    "下载 打印 全屏 收藏",
    "【字号：加大 还原 减小】",
    "字号：加大 | 默认 | 减小",
    "【打印】【关闭】",
    "时间：2026年01月20日 10:30",
    "来源：上海市人民政府办公厅  时间：2026-01-20",
    "图为县委宣传部开展理论宣讲活动现场。记者 张明 摄",
    "（通讯员 李华 摄）",
    "扫一扫在手机打开当前页",
    "政务微信",
    "政务微博",
    "宣传思想工作总结范文(通用10篇)",
    "宣传工作总结精选17篇",
    "2021年宣传思想工作总结（28篇）",
    "意识形态工作汇报大全【12篇】",
    "网站首页  新闻中心  政策文件  办事服务  公众参与",
    "首页 | 机构概况 | 信息公开 | 互动交流",
    "宣传工作总结精选范文8篇_材料之家",
    "浏览次数：3021  【打印本页】",
    "王芳/摄",
    "张老师",
    "小编：王宁",
    "上传人：文秘达人  大小：36KB  页数：5页",
    "第1页/共6页",
    "第 2 页 共 6 页",
    "申明敬告：本站不保证该用户上传的文档完整性，不预览、不比对内容而直接下载产生的反悔问题本站不予受理。",
    "剩余3562字未读，继续阅读",
    "开通会员查看全文",
    "推荐度：★★★★☆",
    "相关推荐",
    "IMG_2031.jpg",
    "微信图片_20201022153012.png",
    "图片1.png",
    "希望这篇文章能满足您的需求！",
    "如需进一步修改，请告诉我。",
    "如果您需要调整字数或风格，请随时告诉我。",
    "首页 - 工作总结 - 宣传工作",
]
# Report sentences and lines that must stay, even though they mention the same things.
REPORT_LINES = [
    "发展会员2176名，开通微信公众号“通山发布”，粉丝达3万人。",
    "开通微信公众号“通山发布”，及时发布政策信息。",
    "组织党员干部下载学习强国APP，注册率达98%。",
    "推行积分制管理，将志愿服务纳入积分兑换。",
    "积分制管理",
    "申请人可以登录网上平台自行下载打印电子证照。",
    "开展商标注册、著作权登记等知识产权服务。",
    "组建网络文明志愿者社群12个，粉丝总数达8万。",
    "建立“积分超市”12个，群众以积分兑换生活用品。",
    "开通QQ群、微信群，及时发布政策信息。",
    "在县政府门户网站开设专栏，发布信息1200余条。",
    "扫码关注“文明通山”公众号参与线上答题的群众达2万人次。",
    "制作二维码宣传牌500块，群众扫码即可观看。",
    "依法打击侵权盗版行为，删除有害信息3000余条。",
    "严格落实网站信息发布审核制度，实行先审后发。",
    "县融媒体中心客户端下载量突破10万。",
    "通过微信小程序开展问卷调查，收回问卷5000份。",
    "积极开展版权宣传，整理编印《版权知识手册》2000册。",
    "整理归档各类资料156卷。",
    "会员单位达到56家。",
    "关于开通政务微信公众号情况的汇报",
    "二、加强网站和新媒体建设",
    "（三）会员发展情况",
    "中共通山县委宣传部",
    "县委宣传部：联系电话0715-1234567",
    "网址：www.tongshan.gov.cn",
    "通过“通山发布”微信公众号推送稿件860篇，阅读量达120万人次。",
    "开展“扫黄打非”进基层活动，清理淫秽色情信息230条。",
    "加大打击六合彩、网络赌博力度。",
    "利用QQ、微信等平台开展网络评论引导。",
    "免费开放图书馆、文化馆、博物馆。",
    "村民可凭积分到积分超市兑换物品。",
    "申报精品工程项目3个。",
    "县级融媒体中心APP下载量达8.6万次。",
    "全面推行“互联网+政务服务”，群众扫码即可办理业务。",
    "时间：2020年5月12日，地点：县委党校。",
    "积分",
    "下载学习强国APP",
    "注册志愿者3.2万名，志愿服务时长纳入积分管理。",
    "扎实开展理论宣讲，更多群众参与进来。",
    "组织开展“我为群众办实事”活动，免费为群众体检1200人次。",
]


@pytest.mark.parametrize("line", NEW_ADVERTISING)
def test_new_advertising_scores_as_advertising(line: str) -> None:
    assert is_ad(line), score(line)


@pytest.mark.parametrize("line", REPORT_LINES)
def test_report_lines_do_not_score_as_advertising(line: str) -> None:
    assert not is_ad(line), score(line)
    assert not is_ad(line, outside_body=True) or len(line) <= 8, score(line, True)


@pytest.mark.parametrize("line", NEW_ADVERTISING + FURNITURE)
def test_advertising_and_furniture_go_among_report_text(line: str) -> None:
    text = "\n".join(["县委宣传部2021年工作总结", PROSE, line, PROSE])
    kept, report = strip_boilerplate(text)
    assert kept == "\n".join(["县委宣传部2021年工作总结", PROSE, PROSE]), report


@pytest.mark.parametrize("line", REPORT_LINES)
def test_report_lines_stay_among_report_text(line: str) -> None:
    text = "\n".join([PROSE, line, PROSE])
    assert strip_boilerplate(text)[0] == text


def test_outside_the_body_a_weaker_line_goes() -> None:
    line = "点击查看大图 友情提示"
    assert not is_ad(line) and is_ad(line, outside_body=True)
    kept, _ = strip_boilerplate("\n".join([line, "县委宣传部2021年工作总结", PROSE, PROSE]))
    assert kept == "\n".join(["县委宣传部2021年工作总结", PROSE, PROSE])


def test_government_toolbar_is_not_the_title() -> None:
    text = "\n".join(["下载", "打印", "全屏", "收藏", "【字号：加大 还原 减小】", "来源：市政府办公厅",
                      "时间：2026-01-20", "分享到", "2026年上海市政府工作报告", PROSE, "扫一扫在手机打开当前页"])
    kept = normalize(text).text
    assert kept.split("\n") == ["2026年上海市政府工作报告", PROSE]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("中共通山县委澳门新葡京娱乐城宣传部", "中共通山县委宣传部"),
        ("百家乐真人娱乐官网注册送彩金", ""),
        ("六合彩开户www.abc123.com", ""),
        ("全县宣传思想工作【www.wenmi123.com】取得新成效。", "全县宣传思想工作取得新成效。"),
        ("【范文帮 www.fanwenbang.cn】县委宣传部工作总结", "县委宣传部工作总结"),
        ("打击六合彩违法犯罪活动", "打击六合彩违法犯罪活动"),
        ("清理淫秽色情信息230条", "清理淫秽色情信息230条"),
        ("查处网络赌博和色情网站12家", "查处网络赌博和色情网站12家"),
    ],
)
def test_spam_and_watermark_spans(line: str, expected: str) -> None:
    assert remove_spans(line) == expected


def test_spam_line_goes_and_spam_inside_a_name_is_cut() -> None:
    text = "\n".join(["县委宣传部2021年工作总结", PROSE, "澳门新葡京娱乐官网", "中共通山县委澳门新葡京宣传部"])
    kept, report = strip_boilerplate(text)
    assert kept == "\n".join(["县委宣传部2021年工作总结", PROSE, "中共通山县委宣传部"])
    assert report["spans_removed"] == 2


def test_normalizing_twice_changes_nothing() -> None:
    text = "\n".join(NEW_ADVERTISING[:3] + ["县委宣传部2021年工作总结", PROSE] + REPORT_LINES + FURNITURE[:6])
    once = normalize(text).text
    assert normalize(once).text == once


def test_a_list_of_links_after_the_body_goes_whole() -> None:
    links = ["相关推荐：", "· 述职报告范文（16篇）", "· 最新意识形态工作汇报参考模板", "· 宣传思想工作总结写作技巧与要点"]
    assert not is_ad(links[-1], outside_body=True)  # alone, the last link is not advertising
    kept, _ = strip_boilerplate("\n".join(["县委宣传部2021年工作总结", PROSE, PROSE, *links]))
    assert kept == "\n".join(["县委宣传部2021年工作总结", PROSE, PROSE])


def test_a_bulleted_list_inside_the_body_stays() -> None:
    items = ["· 开展理论宣讲126场", "· 宣传思想工作总结写作技巧与要点"]
    kept, _ = strip_boilerplate("\n".join(["县委宣传部2021年工作总结", PROSE, *items, PROSE]))
    assert "· 开展理论宣讲126场" in kept


def test_a_law_title_between_two_ad_lines_stays() -> None:
    lines = ["上传人：郑浩 | 文件大小：725KB | 共16页 | 格式：DOCX", "中华人民共和国商标法",
             "本篇文章共11865字，预计阅读时间10分钟", PROSE, PROSE]
    kept, _ = strip_boilerplate("\n".join(lines))
    assert kept.split("\n")[0] == "中华人民共和国商标法"


def test_a_numbered_notice_of_a_site_is_no_heading() -> None:
    assert is_ad("3、文档可能存在排版错位，请以实际下载为准", outside_body=True)
    assert is_ad("2、本站文档均可在WPS或OFFICE2010及以上版本中预览")
    assert not is_ad("1、开通政务微信公众号，发布信息1200条")
    assert not is_ad("2、加强网站和新媒体建设")
