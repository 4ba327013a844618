"""Build data/gazetteer/divisions.csv from GB/T 2260-style province/city/area tables.

Run once when the source tables change:

    .venv/bin/python -m ingest.facets.gazetteer_build ../shared/corpora/prc-places-gazetteer

The output is plain data a user may edit: one administrative division a line with
its code, full name, short name, level (our vocabulary) and parent code. Short names
that are also ordinary words (振兴, 解放, 和平 …) are listed in
data/gazetteer/common_words.txt, so `振兴区` matches and `乡村振兴` does not.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from archive.config import data_file

# The 55 minority nationalities (and variants used in division names), longest first,
# so that 黔东南苗族侗族自治州 shortens to 黔东南, not 黔东.
_ETHNIC = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡
    纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯
    鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(),
    key=len, reverse=True,
)
_ETHNIC_RUN = "(?:(?:" + "|".join(_ETHNIC) + ")族?)+"
_AUTONOMOUS = re.compile(rf"^(.+?){_ETHNIC_RUN}自治(?:区|州|县|旗)$")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟", "县", "旗", "区")
_SPECIAL = {"神农架林区": "神农架", "六枝特区": "六枝"}
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def short_name(name: str) -> str:
    """通山县 → 通山, 黔东南苗族侗族自治州 → 黔东南, 内蒙古自治区 → 内蒙古; '' if too short."""
    if name in _SPECIAL:
        return _SPECIAL[name]
    match = _AUTONOMOUS.match(name)
    stem = match.group(1) if match else name
    if len(stem) < 2 or stem == name:  # 内蒙古自治区, 西藏自治区: the "ethnic" part is the name
        stem = name
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                stem = name[: -len(suffix)]
                break
    return stem if len(stem) >= 2 and stem != name else ""


def area_level(name: str) -> str:
    """The level of a county-level division: 区 for a 市辖区, else 县 (县, 县级市, 旗, 林区, 特区)."""
    if name.endswith("区") and name not in _SPECIAL:
        return "区"
    return "县"


def build_rows(source: Path) -> list[dict[str, str]]:
    def read(name: str) -> list[dict[str, str]]:
        with (source / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    provinces = read("provinces.csv")
    cities = read("cities.csv")
    areas = read("areas.csv")
    rows: list[dict[str, str]] = []
    province_names = {p["code"]: p["name"] for p in provinces}
    municipalities = {code for code, name in province_names.items() if name.endswith("市")}
    for p in provinces:
        rows.append({"code": p["code"], "name": p["name"], "level": "省", "parent": ""})
    city_names = {}
    for c in cities:
        if c["name"] in _PLACEHOLDERS:
            continue
        city_names[c["code"]] = c["name"]
        rows.append({"code": c["code"], "name": c["name"], "level": "市", "parent": c["provinceCode"]})
    for a in areas:
        if a["name"] == city_names.get(a["cityCode"]):  # 东莞市, 中山市: cities without counties
            continue
        if not re.search(r"(县|区|市|旗)$", a["name"]):  # 西沙群岛, 乌拉盖管委会: not a county-level unit
            continue
        parent = a["cityCode"] if a["cityCode"] in city_names else a["provinceCode"]
        if a["provinceCode"] in municipalities:
            parent = a["provinceCode"]
        rows.append({"code": a["code"], "name": a["name"], "level": area_level(a["name"]), "parent": parent})
    for row in rows:
        row["short"] = short_name(row["name"])
    return rows


def write_rows(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "name", "short", "level", "parent"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    rows = build_rows(Path(argv[0]))
    out = data_file("gazetteer/divisions.csv")
    write_rows(rows, out)
    print(f"wrote {len(rows)} divisions to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
