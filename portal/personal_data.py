"""Personal data in free text: one phone normaliser, one detector, one mask.

Residents type phone numbers as ``138-1111-2222``, ``138 1111 2222``, ``+86 138…`` or in
full-width digits (``１３８…``, what Chinese input methods produce); they name neighbours,
their room (5栋302), car plates and ID numbers. Everything that leaves the moderators'
screens goes through ``mask_personal_data``; every phone that is stored, compared,
counted or searched goes through ``normalise_phone`` first.

How text is scanned:

- Each character is folded with NFKC on its own (full-width ０-９, Ａ-Ｚ, －, ． to ASCII)
  only when that gives one character, so offsets in the folded text are offsets in the
  original and a finding can be masked or highlighted where the resident typed it.
- Patterns use ASCII classes only (``[0-9]``, never ``\\d``, which matches every script's
  digits). Mobiles allow one separator (space, dash, dot) between any two digits and an
  optional +86 / 0086 / 86 prefix; landlines need an area code; 18-digit ID numbers must
  carry a valid birth date and the GB 11643 check digit (15-digit old ones a valid
  date); other runs of 15+ digits (bank cards, mistyped IDs) are masked as numbers.
- Person names come from jieba's part-of-speech tagger (tag ``nr``), sharing the search
  tokenizer of ``portal.chinese`` (loaded lazily, once per process). The tagger also
  calls place words names (阳光花园, 向阳社区, 高新区): a name directly followed by, or
  ending in, a place suffix is not a name. A surname followed by a form of address
  (李大爷, 王阿姨) is found by pattern, the surname alone being the personal part.

Nothing here imports an app: the feedback apps call it for forms, exports, the public
board, the moderators' preview and the retention purge.
"""

import hashlib
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import chinese

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")

# --- bidirectional controls -----------------------------------------------------------

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM: they reorder what staff read
# (a name shown backwards, a file name that lies about its extension).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi(text: str) -> str:
    """Remove bidirectional control characters from residents' text."""
    return (text or "").translate(_BIDI_TABLE)


class ResidentTextField(forms.CharField):
    """A form field for text a resident types: bidirectional controls are removed, and a
    length error counts characters as residents do (字)."""

    default_error_messages = {
        "min_length": "至少 %(limit_value)d 个字（现在 %(show_value)d 个字）。",
        "max_length": "最多 %(limit_value)d 个字（现在 %(show_value)d 个字）。",
    }

    def to_python(self, value):
        # Before the usual strip and length checks: invisible controls count for nothing.
        return super().to_python(strip_bidi(value) if isinstance(value, str) else value)


# --- phones ---------------------------------------------------------------------------

_PHONE_NOISE_RE = re.compile(r"[\s\-‐-―−.·()（）]")


def normalise_phone(raw: str) -> str:
    """``＋86 138-1111 2222`` -> ``13811112222``.

    NFKC (full-width digits to ASCII), separators removed, a +86 / 0086 / 86 country
    prefix dropped before an 11-digit mobile. Anything that is not a mobile comes back
    cleaned but otherwise as typed, so ``is_mobile`` refuses it.
    """
    text = strip_bidi(unicodedata.normalize("NFKC", raw or ""))
    text = _PHONE_NOISE_RE.sub("", text)
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and MOBILE_RE.match(text[len(prefix) :]):
            return text[len(prefix) :]
    return text


def is_mobile(phone: str) -> bool:
    """A normalised mainland mobile number (ASCII digits only)."""
    return bool(MOBILE_RE.match(phone or ""))


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; anything else keeps at most its last 2 digits."""
    phone = normalise_phone(phone)
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) <= 2:
        return "*" * len(phone)
    return "*" * (len(phone) - 2) + phone[-2:]


def mask_email(email: str) -> str:
    """``zhang.san@qq.com`` -> ``z***@qq.com``: enough for a resident to recognise their own."""
    local, at, domain = (email or "").strip().partition("@")
    if not at:
        return "*" * min(len(local), 3)
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """``张三丰`` -> ``张**``: the family name only (the usual public-notice form)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


# --- the detector ---------------------------------------------------------------------

KIND_LABELS = {
    "mobile": "手机号",
    "landline": "固定电话",
    "id_number": "身份证号",
    "number": "长号码",
    "plate": "车牌号",
    "room": "门牌号",
    "email": "电子邮箱",
    "name": "人名",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


_SEP = r"[ \-.‐-―−]"
_D = r"(?<![0-9A-Za-z])"  # no digit or letter right before
_E = r"(?![0-9A-Za-z])"  # …or right after

_PREFIX86 = rf"(?:(?:\+|(?<![0-9])00|(?<![0-9+]))86{_SEP}?)?"
# 3-4-4 (or 4-3-4) groups with one separator between them, or one between every digit.
MOBILE_IN_TEXT_RE = re.compile(
    rf"(?<![0-9]){_PREFIX86}(?:1[3-9][0-9]{_SEP}?[0-9]{{4}}{_SEP}?[0-9]{{4}}"
    rf"|1[3-9][0-9]{{2}}{_SEP}?[0-9]{{3}}{_SEP}?[0-9]{{4}}"
    rf"|1{_SEP}[3-9](?:{_SEP}[0-9]){{9}})(?![0-9])"
)
LANDLINE_RE = re.compile(
    rf"(?<![0-9])(?:\(0[1-9][0-9]{{1,2}}\)|0[1-9][0-9]{{1,2}}){_SEP}?[2-9][0-9]{{2,3}}{_SEP}?[0-9]{{4}}(?![0-9])"
)
LONG_NUMBER_RE = re.compile(rf"{_D}[0-9](?:[ \-]?[0-9]){{13,}}(?:[ \-]?[0-9Xx])?{_E}")
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_RE = re.compile(
    # At least three digits after the letter: 京A12345, 沪AD12345, 粤B1234学, not 新Mate40.
    rf"[{_PROVINCES}][A-HJ-NP-Z][ ·•.\-]?(?=(?:[A-HJ-NP-Z]*[0-9]){{3}})"
    rf"(?:[A-HJ-NP-Z0-9]{{5,6}}{_E}|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳])",
    re.IGNORECASE,
)
_BUILDING = r"[0-9]{1,3}(?:栋|幢|座|号楼|号院)"
# A room number is not followed by a unit of counting or time (3栋2023年, 5栋120户).
_NOT_COUNT = r"(?![0-9年月日号元天个次点人户辆万多余米])"
ROOM_RE = re.compile(
    r"(?<![0-9])(?:"
    rf"{_BUILDING} ?(?:[0-9]{{1,2}}单元)?-?[0-9]{{3,4}}(?:室|号|房|{_NOT_COUNT})"  # 5栋302, 5栋2单元302室
    rf"|[0-9]{{1,3}}号楼[0-9]{{1,2}}单元(?:[0-9]{{3,4}}(?:室|号|房)?)?"  # 12号楼2单元
    rf"|[0-9]{{1,2}}单元[0-9]{{3,4}}(?:室|号|房|{_NOT_COUNT})"  # 3单元201室
    r"|[0-9]{3,4}(?:室|房间|房)"  # 302室, 1203房
    r"|[0-9]{1,4}号院"  # 8号院
    r"|[0-9]{1,2}-[0-9]{1,2}-[0-9]{3,4}(?![0-9-])"  # 5-2-302
    r")"
)

# The hundred commonest surnames: enough for 李大爷 / 王阿姨 without a dictionary.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
ADDRESS_TERMS = (
    "先生 女士 小姐 阿姨 大爷 大妈 大娘 大姐 大哥 大叔 叔叔 奶奶 爷爷 婆婆 师傅 老师 "
    "经理 主任 书记 老板 老太 老头 同志 医生 警官"
).split()
# Surnames that also end common words (历史老师, 支付师傅, 押金老板) are left to the tagger.
_TITLED_SURNAMES = "".join(c for c in SURNAMES if c not in "史付于任万钱金方石江高龙白严武段雷田叶程")
TITLED_SURNAME_RE = re.compile(rf"([{_TITLED_SURNAMES}])(?={'|'.join(ADDRESS_TERMS)})")

# What follows (or ends) a word the tagger calls a name when it is really a place.
PLACE_SUFFIXES = tuple(
    "社区 小区 花园 家园 新村 新城 公寓 大厦 广场 中心 公司 超市 商场 医院 学校 小学 中学 幼儿园 酒店 "
    "宾馆 饭店 市场 街道 大街 居委会 管委会 派出所 办事处 路 街 巷 里 苑 园 府 湾 村 庄 镇 乡 县 市 省 区 "
    "桥 河 湖 山".split()
)
# Names start with a surname (these, with the compound ones, cover most residents).
NAME_SURNAMES = frozenset(
    SURNAMES
    + "聂葛伍尤毕焦柳邢岳梅庄辛祁舒耿詹苗凌费纪靳盛童甄裴鲍霍翁隋柯阮闵柴冉倪俞鲁颜翟樊殷施洪乔易赖庞兰"
)
COMPOUND_SURNAMES = tuple("欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 夏侯 令狐 长孙 宇文 司徒".split())
# jieba's dictionary tags many ordinary words nr (智慧, 许可, 杜绝, 井盖, 高峰 …) and gives
# them real frequencies; residents' neighbours are unknown to it (the HMM finds them) or rare.
MAX_NAME_FREQUENCY = 20
MAX_NAME_PREFIX_FREQUENCY = 200
NOT_NAMES = frozenset(
    "阳光 向阳 和平 幸福 平安 光明 胜利 红旗 东风 文明 建设 复兴 人民 朝阳 长安 金星 红星".split()
)


def _fold(text: str) -> str:
    """NFKC per character where it stays one character: same length, same offsets."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _digits(text: str) -> str:
    return "".join(c for c in _fold(text) if "0" <= c <= "9" or c in "Xx").upper()


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit_valid(number: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the other 17."""
    number = number.upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def _valid_date(year: int, month: int, day: int) -> bool:
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= datetime.date.today().year


def is_id_number(number: str) -> bool:
    """An 18-digit resident ID with a real birth date and check digit, or a 15-digit old one."""
    number = number.upper()
    if len(number) == 18 and number[0] != "0":
        return _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])) and (
            id_check_digit_valid(number)
        )
    if len(number) == 15 and number.isdigit() and number[0] != "0":
        return _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


_tagger_lock = threading.Lock()
_tagger = None


def _pos_tagger():
    """jieba's part-of-speech tagger over the search tokenizer, built on first use."""
    global _tagger
    if _tagger is None:
        with _tagger_lock:
            if _tagger is None:
                from jieba import posseg

                _tagger = posseg.POSTokenizer(chinese._jieba())
    return _tagger


def warm_up() -> None:
    """Load the tagger now (gunicorn's master, before forking)."""
    find_personal_data("张建国")


# After a surname the tagger calls nr, a given name it failed to join (吴|建军).
_GIVEN_NAME_FLAGS = frozenset({"n", "nr", "nz", "a", "ng", "t"})
_NOT_GIVEN = frozenset("的 了 和 与 说 家 也 都 就 在 是 把 被 让 给 对 从 向 又 还 却".split())


# Words after which a resident gives a name (我是李四, 联系人：李四): there even a
# two-character name the dictionary knows well (李四, 张三) is a name.
_INTRODUCING = frozenset("叫 名叫 姓名 联系人 本人 署名 称呼".split())


def _is_name(word: str, after: str, *, introduced: bool = False) -> bool:
    return not (
        len(word) < 2
        or len(word) > (4 if word.startswith(COMPOUND_SURNAMES) else 3)
        or word in NOT_NAMES
        or word.endswith(PLACE_SUFFIXES)
        or after.startswith(PLACE_SUFFIXES)
        or not all("\u4e00" <= c <= "\u9fff" for c in word)
        or not (word[0] in NAME_SURNAMES or word.startswith(COMPOUND_SURNAMES))
        # Two-character dictionary words tagged nr are mostly ordinary words (智慧, 许可);
        # three-character ones are names, unless they start with such a word (许可证, 黄金周).
        or (
            not (introduced and len(word) == 2)
            and _frequency(word[:2]) > (MAX_NAME_FREQUENCY if len(word) == 2 else MAX_NAME_PREFIX_FREQUENCY)
        )
    )


def _frequency(word: str) -> int:
    return _pos_tagger().tokenizer.FREQ.get(word) or 0


def _name_findings(folded: str, text: str) -> list[Finding]:
    words = [(pair.word, pair.flag) for pair in _pos_tagger().cut(folded)]
    findings = []
    position = 0
    index = 0
    while index < len(words):
        word, flag = words[index]
        before = [w for w, f in words[max(0, index - 3) : index] if f != "x"][-2:]  # punctuation left out
        introduced = bool(before) and (before[-1] in _INTRODUCING or before == ["我", "是"])
        start = position
        position += len(word)
        index += 1
        if flag != "nr":
            continue
        # 王 + 秀英, 吴 + 建军: the tagger sometimes splits one name in two.
        while index < len(words) and len(word) < 3:
            following, following_flag = words[index]
            joins = following_flag == "nr" or (
                len(word) == 1
                and following_flag in _GIVEN_NAME_FLAGS
                and len(following) <= 2
                and following not in _NOT_GIVEN
            )
            if not joins:
                break
            word += following
            position += len(following)
            index += 1
        end = position
        if len(word) == 3 and word.endswith("家"):  # 杨丽家: the tagger took 家 along
            word, end = word[:-1], end - 1
        if _is_name(word, folded[end : end + 3], introduced=introduced):
            findings.append(Finding("name", start, end, text[start:end]))
    # A name found once is masked wherever it recurs (the tagger is not consistent).
    for name in {f.text for f in findings if len(f.text) >= 2}:
        for match in re.finditer(re.escape(name), text):
            findings.append(Finding("name", match.start(), match.end(), name))
    return findings


def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in ``text``, in order, without overlaps."""
    if not text:
        return []
    folded = _fold(text)
    found: list[Finding] = []

    def add(kind, match_start, match_end):
        found.append(Finding(kind, match_start, match_end, text[match_start:match_end]))

    for match in EMAIL_RE.finditer(folded):
        add("email", *match.span())
    for match in LONG_NUMBER_RE.finditer(folded):
        digits = _digits(match.group())
        kind = (
            "mobile"
            if is_mobile(normalise_phone(digits))
            else "id_number"
            if is_id_number(digits)
            else "number"
        )
        add(kind, *match.span())
    for match in MOBILE_IN_TEXT_RE.finditer(folded):
        add("mobile", *match.span())
    for match in LANDLINE_RE.finditer(folded):
        add("landline", *match.span())
    for match in PLATE_RE.finditer(folded):
        add("plate", *match.span())
    for match in ROOM_RE.finditer(folded):
        add("room", *match.span())
    for match in TITLED_SURNAME_RE.finditer(folded):
        add("name", *match.span(1))
    found.extend(_name_findings(folded, text))
    # Earlier kinds win an overlap: a mobile inside an e-mail stays the e-mail's.
    kept: list[Finding] = []
    for finding in found:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


MASKS = {
    "landline": "［电话］",
    "id_number": "［身份证号］",
    "number": "［号码］",
    "plate": "［车牌号］",
    "room": "［门牌号］",
    "email": "［邮箱］",
}


def mask_finding(finding: Finding) -> str:
    if finding.kind == "mobile":
        digits = _digits(finding.text)[-11:]
        return f"{digits[:3]}****{digits[-4:]}"
    if finding.kind == "name":
        # A surname before a form of address (李大爷) is the whole personal part.
        return "某" if len(finding.text) == 1 else mask_name(finding.text)
    return MASKS[finding.kind]


# The tagger costs ~1-4 ms per short text (its HMM over every unknown word); a list of
# 25 reports paid it 25 times on every view. Masks are kept per process, the last
# MASK_MEMO_SIZE texts, keyed by a digest of the text: what is kept is only what any
# screen shows (the masked text), never the resident's own words.
MASK_MEMO_SIZE = 4096
_mask_memo: OrderedDict[bytes, str] = OrderedDict()
_mask_memo_lock = threading.Lock()


def clear_mask_memo() -> None:
    """Forget every kept mask (benchmarks time the detector itself)."""
    with _mask_memo_lock:
        _mask_memo.clear()


def mask_personal_data(text: str) -> str:
    """``text`` with every finding replaced by its mask (see ``mask_finding``)."""
    text = strip_bidi(text or "")
    if not text:
        return ""
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    with _mask_memo_lock:
        masked = _mask_memo.get(key)
        if masked is not None:
            _mask_memo.move_to_end(key)
            return masked
    masked = _masked(text)
    with _mask_memo_lock:
        _mask_memo[key] = masked
        if len(_mask_memo) > MASK_MEMO_SIZE:
            _mask_memo.popitem(last=False)
    return masked


def _masked(text: str) -> str:
    pieces, cursor = [], 0
    for finding in find_personal_data(text):
        pieces.append(text[cursor : finding.start])
        pieces.append(mask_finding(finding))
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def highlight_personal_data(text: str) -> SafeString:
    """``text`` escaped, each finding wrapped in ``<mark>`` with its kind after it (for
    the moderator's preview; the text itself is shown, not masked)."""
    text = strip_bidi(text or "")
    pieces, cursor = [], 0
    for finding in find_personal_data(text):
        pieces.append(escape(text[cursor : finding.start]))
        pieces.append(
            f'<mark class="pd-finding" data-kind="{finding.kind}">{escape(finding.text)}'
            f'<span class="pd-kind">（{finding.label}）</span></mark>'
        )
        cursor = finding.end
    pieces.append(escape(text[cursor:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text above is escaped
