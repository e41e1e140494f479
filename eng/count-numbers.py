#!/usr/bin/env python3
"""How much of each seed document the packages hold (issue 15's count).

For every seed package in data/seeds/, reads its source text in ../shared/seeds/ and counts
  - printed: the numbers the text prints, leaving out dates, years, note references (七、59, 七、78(1)),
    line-leading ordinals and section numbers (1. 2、 (三)), page numbers (a line that is only a number),
    and ids (stock codes, phone and postal numbers: digit runs of five or more without separators);
  - in the package: those a package value (fact, restatement before/adjustment/after, policy-change effect)
    cites by line and digits, each printed occurrence matched at most once.
A value cited on a line is taken out of the line before anything else, so run-together cells
(9,355,673.663,478,315.66…) and notes run into numbers (七、5938,688,276.15) count once each; what is left is
split by the document's number format (ZWSOFT, 004: exactly two decimals, so run-together cells split).
It is a count, not a proof: a rare number in prose may be split or merged differently from a reader's count.

Run from the repository root:  python3 eng/count-numbers.py   (add --lines to list the lines with uncited numbers)
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

DATES = [
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", r"\d{4}\s*年\s*\d{1,2}\s*[—\-–~至]+\s*\d{1,2}\s*月", r"\d{4}\s*年\s*\d{1,2}\s*月",
    r"\d{1,2}\s*月\s*\d{1,2}\s*日", r"\d{4}-\d{1,2}-(\d(?=\d{4}-)|\d{1,2})",  # run-together date ranges: 2023-7-42024-1-11
     r"\d{4}/\d{1,2}/\d{1,2}",
    r"\d{1,2}\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}",
    r"(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}",
    r"(?<![\d.])(?<!\d,)(19|20)\d{2}(?![\d,]|\.\d)(\s*(年度|年|財年|财年|H1|H2|Q[1-4]))?", r"Q[1-4]", r"[1-4]Q", r"H[12]",
]
NOTES = [r"[一二三四五六七八九十]+、\d{1,2}(\(\d+\))?(、\d{1,2}(?![\d,.]))*", r"附[注註][一二三四五六七八九十\d、()a-z]*", r"[Nn]ote\s*\d+(\([a-z0-9]+\))?",
         r"(?<![附备備])[注註]\d{1,2}(?!\d)",  # a table's own note references: 注2, 注10 (ZWSOFT's commitments table, 004 lines 2381-2399)
         # references to sections of standards, laws and rules: 國際財務報告準則第15號, 第22章, 守則條文第C.2.1條, 第93(b)段, 附錄C1
         r"第[A-Z]?\.?\d+(\.\d+)*(\([a-z]\))?(號|号|章|條|条|段)", r"附錄[A-Z]\d+"]
# Addresses, phone numbers (0755-…, (852) 6150 8598), stock codes (股票號碼：268, 股份代號：0020, 0268.HK), product names (3D),
# table-of-contents page references (第一节 释义 ...... 5).
OTHER = [r"\d{3,4}-\d{7,8}(-\d+)?", r"\(\d{2,4}\)\s*\d{4}\s*\d{4}",
         r"(股票|股份)(號碼|编号|編號|代號|代号|代碼|代码)\s*[：:]\s*\d+(\.(HK|SH|SZ))?", r"\d+([-–]\d+)?(号|號|层|層|楼|樓|室|房|幢|栋|棟|弄|舖)", r"\d+[Dd](?![a-z])", r"\.{3,}\s*\d+$"]
# Terms of undertakings and rules, not reported figures (ZWSOFT's commitments, 004 lines 2380-2840): 36个月, 20个交易日,
# 30个工作日, 10日内, 4年内, 锁定3年; the per-10-shares base of a distribution (每10股); announcement numbers (公告编号:2023-038).
TERMS = [r"(?<![\d,.])\d+\s*个?\s*(月|交易日|工作日)", r"\d+\s*日\s*(内|以内|之内)", r"\d+\s*年\s*(内|以内|之内)", r"锁定\s*\d+\s*年",
         r"每\s*10\s*股", r"公告编号\s*[：:]\s*\d{4}-\d{2,3}", r"第\d+[A-Z]\d+号", r"(?<![\d,.])\d{1,4}/(19|20)\d{2}(/[A-Z][A-Z-]*)?(?![\d,])",
         # ageing and maturity labels (1年以内, 1至2年, 4年以上, 账龄超过1年) and the names of portfolios (组合1)
         r"\d+\s*(至|-|~|—|–)\s*\d+\s*年", r"\d+\s*年\s*(以内|以上|以下)", r"(超过|超過)\s*\d+\s*年", r"组合\s*\d+"]
# Ordinals inside a simplified-Chinese line: (1) (2) (3)=(2)/(1), and a leading 1.1 or rank (1杜玉林) run into its text.
ORDINALS_ZH = [r"[（(]\d{1,2}[)）]", r"^\s*\d{1,2}(\.\d{1,2})?(?=[\u4e00-\u9fff])(?![万亿元人])",
               r"(?<![\d,.])\d{1,2}、(?=[\u4e00-\u9fff])"]  # 详见…11、金融工具, 2、地区分布
LEADING = r"^\s*(第?[(（]?[\d一二三四五六七八九十]{1,3}[)）]?[、.．:：)）]|\([a-z]\)|[①-⑳])"
# A note's or section's heading: its number, then a space and the title (" 11 貿易、其他應收款項及預付款項", "2.2 會計政策及披露變動").
HEADING = r"^\s*\d{1,2}(\.\d{1,2})?\s+(?=[^\d\s(（,.–—-])"


def digits(printed):
    return re.sub(r"[^0-9.,]", "", unicodedata.normalize("NFKC", printed)).strip(".,")


def cited(package):
    """(line, digits) for every value a package cites by line."""
    def one(v):
        if isinstance(v, dict) and isinstance(v.get("printed"), str) and isinstance(v.get("location"), dict) \
                and isinstance(v["location"].get("line"), int):
            d = digits(v["printed"])
            if d:
                yield v["location"]["line"], d
    for f in package.get("facts", []):
        yield from one(f)
    for r in package.get("restatements", []):
        for part in ("before", "adjustment", "after"):
            yield from one(r.get(part))
    for p in package.get("policyChanges", []):
        for f in p.get("currentPeriodEffects", []):
            yield from one(f)


def tokens(text, fixed_two_decimals):
    for pattern in DATES + NOTES + OTHER + TERMS + (ORDINALS_ZH if fixed_two_decimals else []):
        text = re.sub(pattern, " ", text)
    text = re.sub(LEADING, " ", text)
    text = re.sub(r"(?<![\d,.])\d{5,}(?![\d,]|\.\d)", " ", text)  # ids: codes, phone and postal numbers
    number = r"\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2}|\d+\.\d|\d{1,3}(?:,\d{3})+|\d+" if fixed_two_decimals \
        else r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    return re.findall(number, text)


# Lines of the web page a text was saved from, not of the document: ZWSOFT's text opens with the site's quote widget
# (004 lines 1-8: 昨收盘:0.000今开盘:0.000…, every field zero) before the report's title.
PAGE_CHROME = {"004_766bdfec5c6b5b43.txt": range(1, 9)}


def count(package_file, list_lines=False):
    package = json.loads(package_file.read_text(encoding="utf-8"))
    source = package["document"]["source"]
    lines = (SEEDS / source).read_text(encoding="utf-8").split("\n")
    by_line = {}
    for line, d in cited(package):
        by_line.setdefault(line, []).append(d)
    fixed = package["document"].get("language") == "zh-Hans"
    printed = covered = 0
    uncited = []
    for n, raw in enumerate(lines, start=1):
        if n in PAGE_CHROME.get(source, ()):
            continue
        # circled numbers (①…⑳) are ordinals, and NFKC would make them plain digits
        text = re.sub(HEADING, "", unicodedata.normalize("NFKC", re.sub(r"[①-⑳]", " ", raw))).replace(" ", "")
        if not text or re.fullmatch(r"[\d\s/\-–—]+|第\d+页(/共\d+页)?|-?\d+-?", text):
            continue  # blank, or a page number
        for d in sorted(by_line.get(n, []), key=len, reverse=True):
            # a whole number first (not the 20 of 2023), else anywhere (run-together cells touch their neighbours)
            whole = re.search(r"(?<![\d,.])" + re.escape(d) + r"(?![\d]|[.,]\d)", text)
            # (never inside a year the line prints as a year: the 0 of a nil cell is not the 0 of 2023年)
            at = whole.start() if whole else re.sub(r"(19|20)\d{2}(?=\s*年|-\d)", lambda m: "#" * len(m.group()), text).find(d)
            if at >= 0:
                covered += 1
                printed += 1
                text = text[:at] + " " + text[at + len(d):]
        rest = tokens(text, fixed)
        printed += len(rest)
        if rest:
            uncited.append((n, rest))
    if list_lines:
        for n, rest in uncited:
            print(f"  {source}:{n}: {' '.join(rest)}")
    return source, printed, covered


def main():
    list_lines = "--lines" in sys.argv
    print(f"{'package':<24} {'source':<28} {'printed':>8} {'in package':>11} {'share':>6}")
    for f in sorted((ROOT / "data" / "seeds").glob("*.json")):
        source, printed, covered = count(f, list_lines)
        print(f"{f.name:<24} {source:<28} {printed:>8,} {covered:>11,} {covered / printed:>6.0%}")


if __name__ == "__main__":
    main()
