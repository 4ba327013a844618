"""Organization, level and doctype from the title and opening lines (thin rules)."""

from __future__ import annotations

import re

from archive.model import Document, Evidence

_ORG = re.compile(
    r"((?:中共)?(?:[\u4e00-\u9fff]{2,8}?|[X×xＸ]+)?(?:省|市|县|区|镇|乡|街道)"
    r"(?:委宣传部|委|人大常委会|人大|党委|政府|人民政府|宣传部|党工委))"
)
_LEVEL_OF_UNIT = re.compile(r"(省|市|县|区|镇|乡|街道|村)(?=委|人大|党委|政府|人民政府|宣传部|党工委)")
_DOCTYPES = ("汇报发言", "情况汇报", "工作汇报", "工作总结", "工作要点", "工作计划", "讲话", "发言", "汇报", "总结", "报告", "条例", "办法", "规定")


def assign_unit(doc: Document) -> None:
    head = [doc.title] + doc.text.split("\n")[:5]
    for i, line in enumerate(head):
        match = _ORG.search(line)
        if match:
            doc.organization = match.group(1)
            doc.evidence.append(Evidence("organization", doc.organization, "unit name in title/opening", line[:80], line=i))
            level = _LEVEL_OF_UNIT.search(doc.organization)
            if level:
                doc.level = level.group(1)
                doc.evidence.append(Evidence("level", doc.level, "kind of unit in organization", doc.organization))
            break
    for name in _DOCTYPES:
        if name in doc.title:
            doc.doctype = name
            doc.evidence.append(Evidence("doctype", name, "document type word in title", doc.title))
            break
