"""The one personal-data detector and phone normaliser (``portal.personal_data``).

True positives in the forms residents really type, and false positives on the kind of
text reports are made of (community and place names, the 12345 hotline, dates,
reference numbers, counts): a detector that masks ordinary words makes public texts
unreadable, one that misses a dashed phone publishes it.
"""

import pytest

from portal.personal_data import (
    find_personal_data,
    highlight_personal_data,
    id_check_digit_valid,
    is_id_number,
    is_mobile,
    mask_personal_data,
    normalise_phone,
    strip_bidi,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13811112222",
        "138-1111-2222",
        "138 1111 2222",
        "138.1111.2222",
        "1381-111-2222",
        "＋86 138 1111 2222",
        "+86-13811112222",
        "0086 13811112222",
        "8613811112222",
        "１３８１１１１２２２２",
        "１３８－１１１１－２２２２",
        "(138)1111-2222",
        "138　1111　2222",  # ideographic spaces
    ],
)
def test_normaliser_gives_eleven_ascii_digits(typed):
    assert normalise_phone(typed) == "13811112222"
    assert is_mobile(normalise_phone(typed))


def test_mobile_rule_uses_ascii_digits_only():
    # \d matched these: a number in Arabic-Indic or full-width digits passed as typed.
    assert not is_mobile("138９９９９００００")
    assert not is_mobile("١٣٨١١١١٢٢٢٢")
    assert is_mobile(normalise_phone("138９９９９００００"))
    assert normalise_phone("138９９９９００００") == "13899990000"


@pytest.mark.parametrize("typed", ["1381111222", "23811112222", "12345", "13811112222 3", "abc"])
def test_what_is_not_a_mobile_is_refused_after_normalising(typed):
    assert not is_mobile(normalise_phone(typed))


@pytest.mark.parametrize(
    "text, shown",
    [
        ("电话13811112222", "电话138****2222"),
        ("电话138-1111-2222找我", "电话138****2222找我"),
        ("打 138 1111 2222 即可", "打 138****2222 即可"),
        ("号码＋８６ １３８ １１１１ ２２２２。", "号码138****2222。"),
        ("0086-13811112222", "138****2222"),
        ("1 3 8 1 1 1 1 2 2 2 2", "138****2222"),
    ],
)
def test_mobiles_in_any_format_are_masked_in_text(text, shown):
    assert mask_personal_data(text) == shown


def test_landline_with_area_code():
    assert kinds("物业电话0871-6411 2101，或(010)62345678") == [
        ("landline", "0871-6411 2101"),
        ("landline", "(010)62345678"),
    ]


# --- ID numbers --------------------------------------------------------------------------


def test_id_check_digit_gb11643():
    assert id_check_digit_valid("110101199003074514")
    assert id_check_digit_valid("11010519491231002X")
    assert not id_check_digit_valid("110101199003074515")
    assert is_id_number("110101199003074514")
    assert not is_id_number("110101199013074514")  # month 13
    assert is_id_number("110101900307451")  # 15-digit, issued before 1999


def test_id_numbers_are_found_with_check_digit_and_kind():
    assert kinds("身份证110101199003074514，另一个11010519491231002x") == [
        ("id_number", "110101199003074514"),
        ("id_number", "11010519491231002x"),
    ]
    assert kinds("身份证 110101 19900307 4514") == [("id_number", "110101 19900307 4514")]
    assert kinds("身份证１１０１０１１９９００３０７４５１４") == [
        ("id_number", "１１０１０１１９９００３０７４５１４")
    ]


def test_a_mistyped_id_or_bank_card_is_still_masked_as_a_number():
    # The check digit decides what it is called, not whether 18 digits go public.
    assert kinds("身份证110101199003074515") == [("number", "110101199003074515")]
    assert mask_personal_data("卡号6222 0212 3456 7890 123") == "卡号［号码］"


# --- plates, rooms, e-mail ---------------------------------------------------------------


@pytest.mark.parametrize(
    "plate", ["京A12345", "京A·12345", "沪AD12345", "粤B·D12345", "云A1234F", "川a12345"]
)
def test_car_plates_including_new_energy(plate):
    assert kinds(f"车牌{plate}占用消防通道") == [("plate", plate)]


@pytest.mark.parametrize(
    "room", ["5栋302", "5栋2单元302室", "3单元201室", "12号楼2单元", "302室", "8号院", "5-2-302", "7幢1101"]
)
def test_room_and_house_numbers(room):
    assert kinds(f"住在{room}的邻居") == [("room", room)]


def test_email_addresses():
    assert kinds("发到 zhang.san+bao@example.com.cn 谢谢") == [("email", "zhang.san+bao@example.com.cn")]


# --- names -------------------------------------------------------------------------------


def test_names_found_by_the_part_of_speech_tagger():
    assert kinds("楼上邻居张建国天天半夜装修，物业经理刘伟不管，王秀英也反映过。") == [
        ("name", "张建国"),
        ("name", "刘伟"),
        ("name", "王秀英"),
    ]
    assert mask_personal_data("邻居张建国家") == "邻居张**家"


@pytest.mark.parametrize("name", ["吴建军", "周小燕", "陈志强", "胡秀兰", "杨丽"])
def test_a_name_split_or_taken_along_by_the_tagger_is_still_found(name):
    # 吴|建军 and 杨丽家 come out of the tagger in pieces; the name is found whole.
    text = f"邻居{name}家的空调外机一直滴水，{name}说不管。"
    assert [f.text for f in find_personal_data(text)] == [name, name]
    assert name not in mask_personal_data(text)


def test_a_name_found_once_is_masked_wherever_it_recurs():
    # The tagger reads 张|三家 the first time and 张三 the second.
    text = "邻居张三家的空调外机一直滴水，张三说不管。"
    assert mask_personal_data(text) == "邻居张*家的空调外机一直滴水，张*说不管。"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("我是李四，电话13698765432", "我是李*，电话136****5432"),
        ("联系人：李四，李四说楼下漏水", "联系人：李*，李*说楼下漏水"),
        ("我叫张三", "我叫张*"),
        ("我是高层住户，我是业主，我是许可证办理人", "我是高层住户，我是业主，我是许可证办理人"),
    ],
)
def test_a_name_the_resident_gives_is_masked_even_if_the_dictionary_knows_it(text, shown):
    # 李四 and 张三 are dictionary words (too frequent to count as a name on their own);
    # after 我是 / 联系人 they are the resident's name.
    assert mask_personal_data(text) == shown


def test_surname_with_a_form_of_address_loses_the_surname():
    assert mask_personal_data("李大爷家的狗和王阿姨") == "某大爷家的狗和某阿姨"


# --- false positives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "幸福里社区3号楼门口垃圾没人清运，已经三天了，拨打12345也没人管。",
        "阳光花园小区南门的路灯坏了，晚上很黑，老人小孩出行不安全。",
        "向阳社区居委会说下周二处理，高新区管委会也来看过。",
        "复兴路88号小区3栋楼下，红色驿站旁边，建设路街道和平社区网格员说会处理。",
        "反映编号20261122-4KX7，2026年11月22日提交，2026-11-22复查。",
        "第3栋2023年建成，共120户，井盖松动，许可证没有张贴，温度13.5度。",
        "智慧社区楼宇经济，杜绝高峰期拥堵，历史老师讲了垃圾分类。",
        "3栋电梯这个月已经停了三次，5单元楼道堆满杂物，新Mate40手机充电桩。",
        "小区西门垃圾桶已经满溢两天，没人清运，气味很大。",
        "已更换车库灯管 46 支，并改为感应照明，共花费 1200 元。",
    ],
)
def test_ordinary_report_text_is_left_alone(text):
    assert find_personal_data(text) == []
    assert mask_personal_data(text) == text


def test_the_whole_neighbour_report_is_masked():
    text = "楼上邻居张建国住5栋302，天天半夜装修，电话138-1111-2222，身份证110101199003074514。"
    masked = mask_personal_data(text)
    assert masked == "楼上邻居张**住［门牌号］，天天半夜装修，电话138****2222，身份证［身份证号］。"
    for secret in ("建国", "302", "1111", "110101199003074514"):
        assert secret not in masked


# --- bidi and the preview ---------------------------------------------------------------


def test_bidi_controls_are_stripped():
    assert strip_bidi("张\u202e三\u2066丰\u200f\u061c") == "张三丰"
    assert strip_bidi("普通文字 abc") == "普通文字 abc"


def test_preview_marks_each_finding_with_its_kind_and_escapes_the_rest():
    html = highlight_personal_data("<b>张建国</b> 138-1111-2222")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert (
        '<mark class="pd-finding" data-kind="name">张建国<span class="pd-kind">（人名）</span></mark>' in html
    )
    assert 'data-kind="mobile">138-1111-2222<span class="pd-kind">（手机号）</span>' in html
