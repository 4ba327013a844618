"""Step 5: page chrome and 范文-site advertising go, report sentences that mention
会员, 微信, QQ, 订阅 or 下载 stay. The advertising below is invented for these tests."""

from __future__ import annotations

import pytest

from ingest.normalize.boilerplate import MAX_LINE, flag_lines, is_boilerplate, rules, strip_boilerplate
from ingest.normalize.prefilter import WordFinder, may_match, required_words

CHROME = [
    "当前位置：首页 > 总结报告 > 宣传工作",
    "您的位置: 网站首页 > 工作总结",
    "首页 > 工作汇报 > 正文",
    "党建园地 > 工作总结 > 宣传思想",
    "字号：大 中 小",
    "【字体：大 中 小】",
    "打印本页 关闭窗口",
    "【返回顶部】",
    "上一篇：2021年党建工作计划",
    "下一篇：没有了",
    "分享到：微信 微博 QQ空间",
    "扫一扫在手机上阅读",
    "搜索",
    "发布时间：2021-03-05 来源：本站 浏览次数：1024",
    "发表日期：2019年10月30日",
    "时间：2022-07-12 12:30:06 浏览次数：",
    "阅读(356) 评论(2)",
    "浏览量：",
    "相关阅读：",
    "热门推荐",
    "猜你喜欢",
    "“党建工作总结”延伸阅读",
    "来源：网络整理",
    "责任编辑：小王",
]
ADVERTISING = [
    "本文由学海文库网整理，仅供参考",
    "版权归原作者所有，如有侵权请联系删除",
    "加QQ：1234567，免费领取全套材料",
    "咨询 qq 987654321",
    "微信号：wenmi_2023",
    "客服VX：abc_12345",
    "扫码加群领取更多模板",
    "下载Word版 全文可编辑",
    "本文档可编辑，支持下载PDF格式",
    "VIP会员专享 海量材料免费下载",
    "开通vip会员即可查看全文",
    "点击下载完整版",
    "【资料仅供个人学习交流，请勿外传】",
    "仅限学习参考，严禁转载",
    "阅后即焚，用后删除",
    "笔杆子文秘网 www.example.cn",
    "更多精品范文请访问公文天地",
    "编辑推荐：2021年宣传工作总结精选",
    "以上就是小编整理的全部内容",
    "希望对大家有所帮助",
    "年终岁末又到了写总结的时候，下面是本站为大家精心整理的宣传工作总结，欢迎阅读参考！",
    "关注公众号“文稿大师”回复关键词获取全文",
    "转载请注明出处",
    "免责声明：本站资源来自网友上传",
    "【打击盗版行动】",
    "举报转卖资料者，奖励三个月会员资格",
    "订阅本站即可解锁全部资料",
    "会员群：8765  交流群：",
    "如有版权问题，请联系我们处理",
]
# Kinds read off the fresh wordings' tune half (bench/eval_data/fresh), in other wordings here.
FRESH_KINDS = [
    "A-　A　A+",  # reading aids of a toolbar
    "无障碍阅读 | 语音朗读 | 切换简体",
    "护眼模式",
    "信息网络传播视听节目许可证：0108263",  # licences and record numbers in footers
    "备案号：粤公网 44030402001234",
    "王小明、李强 摄",  # credits and captions
    "照片由县融媒体中心提供",
    "▲ 志愿者在社区开展宣讲",
    "抱歉，您的浏览器不支持video标签",
    "通山县融媒体中心记者 张三 李四",
    "满意度调查：非常满意 满意 基本满意 不满意",
    "本页面已针对手机等移动终端进行了适配",
    "www.wenmi88.com 宣传工作总结范文",  # 范文 furniture
    "https://fanwen-ku.net/",
    "内容摘自公文之家",
    "推广",
    "好评率98%",
    "12页 2.1MB",
    "文章目录",
    "乡镇宣传思想工作总结（完整版）",
    "本平台仅提供信息存储空间服务",
    "未经书面许可，严禁复制",
    "联系地址：某某路1号　邮编：437600",
    # kinds read off the fresh set's test half once it was reported
    "↓ 调研组在村史馆参观。李明 摄",
    "制图/张红　审核/王刚",
    "原创 李华 笔杆子文库 2024-01-02 09:30",
    "〖材料网〗",
    "笔杆子整理",
    "时政 国际 财经 体育 教育 视频",
    "机构设置 | 领导信息 | 工作动态 | 政策文件",
    "请输入关键词",
    "此页面内容对您是否有用？",
    "普法宣传工作总结（2022最新版）",
    "已有3120人在用",
    "【End】",
    # kinds read off the second fresh wordings' tune half, in other wordings
    "（待续）",
    "Posted by 王平 · 2024-03-01",
    "1,024 views",
    "客服电话：400-123-4567",
    "来源：https://www.fanwen123.com/a/1.html",
    "今日热门：述职报告 | 心得体会",
    "本节目由县融媒体中心制作",
    "位置导航：首页 > 工作动态",
    "本站由县人民政府主办，技术支持：某公司",
    "原创不易，欢迎分享",
    "本文为网友投稿，仅供参考学习",
    "政务公开 | 网上办事 | 互动交流",
    # kinds read off the second fresh set's test half once it was reported, in other wordings
    "热门搜索：",
    "材料写作陪跑营火热招募中，名额有限！",
    "Sponsored · 专业代写各类材料",
    "2021-03-02 10:15　工作动态",
    "由于篇幅所限，完整版请关注公众号获取",
    "小红书@老王：写材料必备金句，建议收藏！",
    "页面加载中，请稍候",
    "此处为广告位",
    "E-mail: admin@fanwen88.com",
    "本文已被356人阅读",
    "笔杆子文库版权所有",
    "县委宣传部主办",
    "AI摘要：本文介绍了工作总结的写法",
    "—— 分割线 ——",
    "来自视频号 · 县融媒体中心",
    "部门网站 乡镇网站 友情链接",
    "转藏到我的图书馆",
    "这个用户很懒，什么也没有留下",
    "航拍：王强",
    # kinds read off the third fresh wordings' tune half, in other wordings
    "2022-05-06 09:12　县人民政府",
    "广告位招租",
    "——— 广告 ———",
    "〖快乐学习啦〗",
    "文字：李强　图片：王芳",
    "您对本页内容是否满意？",
    "更多工作总结相关范文：",
    "还没有评论，快来抢沙发！",
    "欢迎访问县人民政府门户网站！",
    "〖笔墨轩〗",
    "第3页 / 共8页　　笔杆子",
    # running heads of gazettes and newspapers, pagers, printer's notes (set 8's tune half)
    "上海市人民政府公报（2021年第25期）",
    "山东省人民政府公报",
    "2018年第4期（总第875期）",
    "4　北京市人民政府公报　2021.18",
    "政府公报 · 2021 · 第20期",
    "第A25版：要闻　上一版　下一版",
    "版次：A18　版名：综合新闻",
    "本版责编：郭倩　美编：李娜",
    "第15版　2021-12-03　星期二",
    "笔墨轩 2021-09-05 第3版",
    "2022-06-01  广东省人大常委会  2",
    "首页 < 1 2 3 4 5 … 6 > 末页",
    "到第　页　GO",
    "每页显示 20 条",
    "〔此页无正文〕",
    "广告 ×",
    "写下你的评论…",
    "🔥热门推荐：2020年最新宣传思想工作总结汇编（180篇合集）",  # a rule reads the line without its pictographs
    "（上图）杨帆 摄",
    "制图：何勇　数据来源：中国人大网",
    "话题：公文写作 体制内 写材料",
    "通讯员：黄丽　记者：孙颖",
    "责编：谢军　　审签：彭慧",
    "本文为澎湃号作者或机构在澎湃新闻上传并发布，仅代表该作者或机构观点，不代表澎湃新闻的观点或立场。",
]
REPORT_LINES = [
    "2020年国民经济和社会发展统计公报",  # a title: no publisher's 公报
    "通山县2021年第3期工作简报",
    "首页设计由县融媒体中心完成",
    "组织拍摄",
    "该言论仅代表其个人，不代表政府立场。",
    "代表对办理答复作出满意、基本满意、不满意等评价。",
    "户外商业广告位应当采取招标拍卖等公开出让的方式确定经营者。",
    "由县委宣传部、县文明办联合主办的文明实践活动周启动。",
    "张三 李四 王五 赵六 钱七",  # a list of names is no channel bar
    "文化建设",
    "文字材料",
    "县委宣传部整理汇编学习资料12册。",
    "县融媒体中心记者深入一线采访120次，推出系列报道。",
    "取得《出版物经营许可证》的网点12家。",
    "开通微信公众号发布信息120条，点击量达3万人次。",
    "发展志愿者会员2176名，公益志愿服务协会注册会员2176名。",
    "召开协会会员代表大会，选举产生新一届理事会。",
    "通过纸媒、微信公众号、微信朋友圈、QQ等方式广而告之招募到300名志愿者。",
    "建立QQ群、微信群12个，覆盖群众5000余人。",
    "为187个村农家书屋补充更新图书60种，订阅报刊杂志10种。",
    "严格落实涉密文件管理制度，涉密资料严禁外传。",
    "举办“学习强国”知识竞赛，点击量突破10万次，下载量达2万次。",
    "推广“学习强国”APP，免费下载安装率达95%。",
    "制作PDF版学习资料发放到各支部。",
    "组织校园小记者、小编辑开展采风活动。",
    "本站今年以来开展志愿服务活动20场次。",
    "时间：2020年5月12日，地点：县委党校。",
    "来源：县融媒体中心",
    "加强版权监管和保护，扩大版权宣传登记。",
    "开展打击侵权盗版专项行动，如有侵权行为依法严肃处理。",
    "开展打击倒卖医保药品专项行动。",
    "第十一条 著作权属于作者，本法另有规定的除外。",
    "订立、履行合同，应当遵循诚信原则，依法独立享有民事权利。",
    "希望广大干部群众积极参与文明创建。",
    "相关报道在省级媒体刊发后引起强烈反响。",
    "搜索引擎优化和网站建设工作稳步推进。",
    "上级领导多次莅临指导，我们为大家准备了学习资料。",
    "县委宣传部：联系电话0715-1234567",
    "宣传工作总结",
    "县委宣传部近三年工作汇报",
]


@pytest.mark.parametrize("line", CHROME + ADVERTISING + FRESH_KINDS)
def test_chrome_and_advertising_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", REPORT_LINES)
def test_report_sentences_are_not(line: str) -> None:
    assert not is_boilerplate(line)


def test_long_lines_are_never_removed() -> None:
    line = "以上就是小编整理的全部内容，" + "全县宣传思想文化战线坚持正确的政治方向和宣传导向。" * 12
    assert len(line) > MAX_LINE
    assert not is_boilerplate(line)


def test_short_lines_squeezed_between_advertising_go_but_titles_stay() -> None:
    text = "\n".join([
        "仅供学习 禁止外传 用后删除",
        "墨香文苑",  # the site's name
        "专业平台、每日更新",  # its slogans
        "现在订阅立享全部资料",
        "【会员资料仅供内部交流使用，严禁外传】",
        "县委宣传部2021年工作总结",  # the title, between two advertisements
        "墨香文苑整理，咨询QQ123456789",
        "今年以来，县委宣传部坚持以习近平新时代中国特色社会主义思想为指导。",
    ])
    kept, report = strip_boilerplate(text)
    assert kept == "县委宣传部2021年工作总结\n今年以来，县委宣传部坚持以习近平新时代中国特色社会主义思想为指导。"
    assert report["step"] == "boilerplate" and report["removed_lines"] == 6
    assert "墨香文苑" in report["examples"]


def test_report_lines_between_advertising_stay() -> None:
    lines = ["仅供学习 禁止外传", "一、加强理论武装", "今年以来，全县宣传工作取得成效。", "二是强化阵地", "转载请注明出处"]
    assert flag_lines(lines) == [True, False, False, False, True]


def test_many_short_lines_between_advertising_stay() -> None:
    lines = ["仅供学习 禁止外传", "甲单位", "乙单位", "丙单位", "丁单位", "转载请注明出处"]
    assert flag_lines(lines) == [True, False, False, False, False, True]


def test_whole_text_matching_agrees_with_line_by_line() -> None:
    """flag_lines runs each rule once over the whole text (and skips rules whose words are absent)."""
    sentences = [line for line in REPORT_LINES if line.endswith("。")]  # never squeezed between ads
    lines = CHROME + sentences + ADVERTISING
    spread = [line for pair in zip(lines, sentences * 5, strict=False) for line in pair]
    for text_lines in (lines, spread, lines[::-1]):
        assert flag_lines(text_lines) == [is_boilerplate(line) for line in text_lines]
    # a regulation's contents: chapter lines one under another are no section bar (no rule may
    # look past the end of its line, where the whole-text matcher cannot see)
    contents = ["目 录", "第一章 总则", "第二章 规划建设", "第三章 制度保障", "第四章 监督检查", "第五章 公众参与",
                "第六章 法律责任", "第七章 附则"]
    assert [rule for rule, _ in rules() if rule.search("\n".join(contents)) and not any(map(rule.search, contents))] == []


def test_every_rule_compiles_and_its_prefilter_is_sound() -> None:
    finder = WordFinder({w for _, words in rules() if words for w in words})
    for line in CHROME + ADVERTISING + REPORT_LINES:
        present = finder.present(line)
        for rule, words in rules():
            if rule.search(line):
                assert may_match(words, present), (rule.pattern, line)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("免责声明", {"免责声明"}),
        ("^(当前位置|您的位置)\\s*[:：]", {"当前位置", "您的位置"}),
        ("(本文|此文)(由|来自).{0,25}整理", {"本文", "此文"}),
        ("免费下载(全文|文档)|(点击|立即)(下载|领取)", {"免费下载", "点击", "立即"}),
        ("^\\S.{0,30}\\s[>＞]\\s", None),
        ("(QQ|qq)?群", {"群"}),
        ("^(客户端|(?i:app))\\s*下载$", {"下载"}),  # a case-blind group requires no word of its own
        ("(?i)^img_\\d+\\.jpg$", None),
        ("^(?=.*(打印|关闭))[\\s打印关闭收藏]+$", {"打印", "关闭"}),  # a lookahead's words are needed too
        ("(?!广告)推荐", {"推荐"}),
    ],
)
def test_required_words(pattern: str, words: set[str] | None) -> None:
    assert required_words(pattern) == (None if words is None else frozenset(words))


def test_word_finder_sees_words_inside_and_across_others() -> None:
    finder = WordFinder({"会员", "会员群", "员群", "群"})
    assert finder.present("加入会员群") == {"会员", "会员群", "员群", "群"}
    assert finder.present("无关内容") == frozenset()
