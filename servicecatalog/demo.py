"""Demo content: service categories and audiences, 22 service guides, 26 stations.

Written by us; practices come from the seed reports (红色驿站 with 公用维修工具, 红色蓄能站
for 外卖送餐员/快递员 with 歇脚充电, 户外劳动者之家 with 补水充电、加热饭菜, 最多跑一次,
一站式办事大厅 with 低保 and other services). Coordinates (WGS-84) are invented around
a plausible city centre (25.04 N, 102.71 E). Idempotent: everything is matched by slug.
"""

from datetime import date, time
from decimal import Decimal

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from home.models import Community, HomePage

from .models import (
    ServiceAudience,
    ServiceCategory,
    ServiceIndexPage,
    ServiceItemPage,
    ServiceMaterial,
    StationIndexPage,
    StationOpeningHours,
    StationPage,
)
from .vocab import MaterialForm, StationStatus, StationType

ORIG, COPY, BOTH = MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.BOTH
HALL = (
    "同心区政务服务中心",
    "同心区复兴路88号 一楼综合窗口",
    "工作日 9:00—17:00（周六上午 9:00—12:00 办理民生事项）",
)
VERIFIED = date(2026, 10, 20)

CATEGORIES = [
    ("社会救助", "social-assistance", "低保、特困、临时救助"),
    ("养老服务", "elderly-care", "高龄津贴、优待证、居家养老"),
    ("残疾人服务", "disability", "残疾人证、两项补贴"),
    ("户籍与居住", "residence", "居住证、户口迁移"),
    ("医疗保障", "medical-insurance", "参保登记、异地就医"),
    ("就业创业", "employment", "就业失业登记、灵活就业参保"),
    ("退役军人服务", "veterans", "优待证、信息采集"),
    ("婚育与儿童", "family", "生育登记、困境儿童"),
    ("住房保障", "housing", "公共租赁住房"),
]
AUDIENCES = [
    ("老年人", "elderly"),
    ("残疾人", "disabled"),
    ("困难群众", "low-income"),
    ("新就业群体", "new-workers"),
    ("退役军人", "veterans"),
    ("儿童", "children"),
    ("流动人口", "migrants"),
]

ID_CARD = ("居民身份证", BOTH, 1, True, "")
HUKOU = ("户口簿", BOTH, 1, True, "户主页和本人页")
BANK = ("本人银行卡或存折", COPY, 1, True, "用于发放资金，须为本人名下一类账户")

# slug, title, code, category, audiences, department, summary, conditions, materials, steps,
# (legal, promised, visits), fee, place (community slug of a 党群服务中心, or None for the hall),
# phone, online, faq, featured
SERVICES = [
    (
        "dibao",
        "最低生活保障申请",
        "530112-MZ-0101",
        "social-assistance",
        ["low-income", "elderly", "disabled"],
        "同心区民政局",
        "家庭人均收入低于当地低保标准的，可以申请按月领取低保金。",
        [
            "共同生活的家庭成员持有本地户籍；",
            "家庭月人均收入低于同心区城乡低保标准（2026 年城市每人每月 850 元）；",
            "家庭财产状况符合规定（无机动车辆、无商业用房，存款不超过规定限额）。",
        ],
        [
            ID_CARD,
            HUKOU,
            ("最低生活保障申请书", ORIG, 1, True, "窗口可领取，也可下载空白表格在家填好"),
            ("家庭经济状况核对授权书", ORIG, 1, True, "共同生活的成年家庭成员逐一签字"),
            ("残疾人证或病历诊断书", COPY, 1, False, "家庭成员有残疾或重病的提供"),
            BANK,
        ],
        [
            ("申请", "社区", "到社区党群服务中心或街道便民服务中心提交材料，也可请社区工作者代为申请。"),
            ("入户调查", "街道、社区", "工作人员入户了解家庭情况，进行经济状况信息核对。"),
            ("民主评议与公示", "社区", "在社区公示 7 天，接受群众监督。"),
            ("审批", "区民政局", "审核通过后自批准次月起发放低保金。"),
        ],
        (30, 20, 1),
        "免费",
        "fuxing",
        "0871-6411 2101",
        "",
        [
            (
                "打工收入不稳定，怎么算收入？",
                "按申请前 6 个月的平均收入计算，灵活就业收入可由本人书面申报，工作人员核实。",
            ),
            ("低保批下来后还要做什么？", "家庭人口、收入发生变化的，请在 1 个月内告诉社区；每年会复核一次。"),
        ],
        True,
    ),
    (
        "tekun",
        "特困人员救助供养",
        "530112-MZ-0102",
        "social-assistance",
        ["low-income", "elderly", "disabled"],
        "同心区民政局",
        "无劳动能力、无生活来源、无法定赡养扶养义务人的老年人、残疾人和未成年人。",
        ["同时具备无劳动能力、无生活来源、无法定赡养抚养扶养义务人（或其无履行能力）三个条件。"],
        [
            ID_CARD,
            HUKOU,
            ("特困人员救助供养申请书", ORIG, 1, True, ""),
            ("残疾人证", COPY, 1, False, "残疾人提供"),
        ],
        [
            ("申请", "社区", "本人或委托他人到社区提出申请；行动不便的可由网格员上门代办。"),
            ("调查核实", "街道", "入户调查并公示 7 天。"),
            ("确认", "区民政局", "确认后按月发放基本生活费，可选择集中或分散供养。"),
        ],
        (30, 20, 1),
        "免费",
        "guangling",
        "0871-6411 2102",
        "",
        [("可以住进养老院吗？", "生活不能自理的可申请到区社会福利中心集中供养，费用由政府承担。")],
        False,
    ),
    (
        "linshi-jiuzhu",
        "临时救助",
        "530112-MZ-0103",
        "social-assistance",
        ["low-income"],
        "同心区民政局、各街道办事处",
        "因火灾、交通事故、突发重病等导致基本生活暂时出现严重困难的家庭。",
        [
            "因意外事件、突发重大疾病等原因，导致基本生活暂时出现严重困难；",
            "情况紧急的可以先行救助，事后补齐材料。",
        ],
        [
            ID_CARD,
            ("临时救助申请书", ORIG, 1, True, "写明困难原因"),
            ("医疗费用票据或事故证明", COPY, 1, True, ""),
            BANK,
        ],
        [
            ("申请", "社区或街道", "向社区或街道提出，急难情况可直接拨打街道电话。"),
            ("审核", "街道", "500 元以下小额救助由街道当场审批发放。"),
            ("发放", "街道", "通过银行卡发放或直接发放实物。"),
        ],
        (15, 5, 1),
        "免费",
        None,
        "0871-6411 2103",
        "",
        [],
        True,
    ),
    (
        "gaoling-jintie",
        "高龄津贴申领",
        "530112-MZ-0201",
        "elderly-care",
        ["elderly"],
        "同心区民政局",
        "年满 80 周岁的本地户籍老人，每月领取高龄津贴。",
        [
            "具有本区户籍，年满 80 周岁。",
            "80—89 周岁每人每月 50 元，90—99 周岁 100 元，100 周岁以上 500 元。",
        ],
        [
            ID_CARD,
            HUKOU,
            ("高龄津贴申请表", ORIG, 1, True, "可由子女代填，老人签字或按手印"),
            BANK,
            ("代办人身份证", BOTH, 1, False, "子女或网格员代办时提供"),
        ],
        [
            ("申请", "社区", "老人生日当月即可到社区申请；行动不便的，网格员可上门办理。"),
            ("审核", "区民政局", "审核通过后次月起发放。"),
        ],
        (20, 10, 1),
        "免费",
        "chunyu",
        "0871-6411 2104",
        "",
        [("满 80 周岁当月没来得及申请会少发吗？", "自申请次月起发放，建议生日当月申请。")],
        True,
    ),
    (
        "laonian-youdai",
        "老年人优待证办理",
        "530112-MZ-0202",
        "elderly-care",
        ["elderly"],
        "同心区民政局",
        "60 周岁以上老人凭优待证享受公园、公交等优待。",
        ["年满 60 周岁的本市户籍老人，或在本市居住的外地老人。"],
        [ID_CARD, ("近期一寸免冠彩色照片", ORIG, 1, True, "也可在社区现场拍照")],
        [("申请", "社区", "到社区党群服务中心现场办理，当场制证。")],
        (0, 0, 1),
        "免费",
        "jinding",
        "0871-6411 2105",
        "",
        [],
        False,
    ),
    (
        "jujia-yanglao-butie",
        "居家养老服务补贴",
        "530112-MZ-0203",
        "elderly-care",
        ["elderly", "low-income"],
        "同心区民政局",
        "经济困难的失能、半失能老人，每月享受上门助餐、助洁等服务补贴。",
        ["本区户籍 60 周岁以上；属于低保、特困或低收入家庭；经评估为失能或半失能。"],
        [
            ID_CARD,
            HUKOU,
            ("居家养老服务补贴申请表", ORIG, 1, True, ""),
            ("低保证或低收入家庭认定材料", COPY, 1, True, ""),
        ],
        [
            ("申请", "社区", "本人或家属到社区申请。"),
            ("能力评估", "第三方评估机构", "上门评估老人生活自理能力。"),
            ("审核与服务", "区民政局", "审核通过后由服务机构按月上门服务。"),
        ],
        (30, 20, 1),
        "免费",
        "qianqiu",
        "0871-6411 2106",
        "",
        [],
        False,
    ),
    (
        "zhangzhe-shitang",
        "长者食堂用餐补贴",
        "530112-MZ-0204",
        "elderly-care",
        ["elderly"],
        "同心区民政局、各社区",
        "60 周岁以上老人在社区长者食堂用餐，按年龄享受每餐 2—5 元补贴。",
        ["60 周岁以上在本区居住的老人；志愿服务积分也可兑换用餐补贴。"],
        [ID_CARD],
        [("登记", "社区长者食堂", "首次用餐时登记身份证，之后刷身份证即可享受补贴。")],
        (0, 0, 1),
        "按餐收费，补贴后每餐 8—12 元",
        "shiliang",
        "0871-6411 2107",
        "",
        [("积分怎么兑换？", "志愿服务积分每 10 分可抵 1 元餐费，在食堂收银台直接抵扣。")],
        False,
    ),
    (
        "canji-liangxiang-butie",
        "残疾人两项补贴",
        "530112-CL-0301",
        "disability",
        ["disabled", "low-income"],
        "同心区残疾人联合会、同心区民政局",
        "困难残疾人生活补贴和重度残疾人护理补贴，按月发放。",
        [
            "生活补贴：持有第二代残疾人证，且属于低保家庭；",
            "护理补贴：持有第二代残疾人证，残疾等级为一级或二级。",
        ],
        [
            ID_CARD,
            ("残疾人证", BOTH, 1, True, ""),
            HUKOU,
            ("残疾人两项补贴申请审批表", ORIG, 2, True, ""),
            BANK,
        ],
        [
            ("申请", "社区", "本人或监护人到社区申请，也可通过网上申请。"),
            ("审核", "街道", "街道初审并公示。"),
            ("审定", "区残联、区民政局", "审定后次月起发放。"),
        ],
        (20, 15, 1),
        "免费",
        "kunlun",
        "0871-6411 2108",
        "",
        [("两项补贴可以同时领吗？", "同时符合两项条件的，两项补贴可以同时领取。")],
        True,
    ),
    (
        "canjiren-zheng",
        "残疾人证办理（新办）",
        "530112-CL-0302",
        "disability",
        ["disabled"],
        "同心区残疾人联合会",
        "办理第二代残疾人证，享受各项残疾人优惠政策。",
        ["本区户籍，符合残疾标准。"],
        [
            ID_CARD,
            HUKOU,
            ("近期二寸免冠白底彩色照片", ORIG, 3, True, ""),
            ("病历及相关检查报告", COPY, 1, True, ""),
        ],
        [
            ("申请", "社区", "在社区提交申请，领取评定通知。"),
            ("残疾评定", "指定医院", "到指定评定机构评定残疾类别和等级。"),
            ("审核发证", "区残联", "审核通过后制证，社区通知领取。"),
        ],
        (30, 20, 2),
        "免费（评定费由财政承担）",
        None,
        "0871-6411 2109",
        "",
        [],
        False,
    ),
    (
        "juzhuzheng",
        "居住证申领",
        "530112-GA-0401",
        "residence",
        ["migrants", "new-workers"],
        "同心区公安分局",
        "在本区居住半年以上的非本地户籍人员，凭居住证享受子女入学、办证等服务。",
        ["离开常住户口所在地，在本区居住半年以上，并有合法稳定就业、合法稳定住所或连续就读之一。"],
        [
            ID_CARD,
            ("居住登记凭证", ORIG, 1, True, "已在社区或派出所登记满半年"),
            ("房屋租赁合同或房产证", COPY, 1, True, "单位宿舍的提供单位证明"),
            ("劳动合同或营业执照", COPY, 1, False, "就业的提供其一"),
        ],
        [
            ("申请", "派出所或社区代办点", "提交材料并现场采集照片。"),
            ("审核制证", "公安分局", "15 日内制证。"),
            ("领证", "原受理点", "凭回执领取，也可选择邮寄到家。"),
        ],
        (15, 10, 1),
        "首次申领免费",
        None,
        "0871-6411 2110",
        "https://zwfw.example.gov.cn/juzhuzheng",
        [("快递员、外卖骑手没有劳动合同怎么办？", "可提供平台出具的从业证明，或由站点负责人出具证明。")],
        True,
    ),
    (
        "hukou-qianru-touko",
        "户口迁入（投靠亲属）",
        "530112-GA-0402",
        "residence",
        ["elderly", "children"],
        "同心区公安分局",
        "夫妻、父母子女之间投靠落户。",
        ["被投靠人在本区有合法固定住所；夫妻投靠、子女投靠父母、父母投靠子女。"],
        [
            ID_CARD,
            HUKOU,
            ("结婚证或出生医学证明等亲属关系证明", COPY, 1, True, ""),
            ("房产证", COPY, 1, True, ""),
        ],
        [("申请", "派出所户籍窗口", "提交材料。"), ("审批", "公安分局", "审批后办理迁入。")],
        (20, 10, 2),
        "免费",
        None,
        "0871-6411 2111",
        "",
        [],
        False,
    ),
    (
        "yibao-canbao",
        "城乡居民基本医疗保险参保登记",
        "530112-YB-0501",
        "medical-insurance",
        ["children", "low-income", "elderly"],
        "同心区医疗保障局",
        "没有职工医保的居民、学生和新生儿参加居民医保。",
        ["未参加职工医保的本区户籍居民或持居住证人员；低保、特困人员个人缴费由政府资助。"],
        [ID_CARD, ("户口簿或出生医学证明", COPY, 1, True, "新生儿提供出生医学证明")],
        [
            ("登记", "社区或线上", "在社区医保服务点或手机上登记。"),
            ("缴费", "本人", "通过银行或手机缴费，次日生效。"),
        ],
        (0, 0, 0),
        "按年度个人缴费标准缴纳，困难群众由政府资助",
        "zhungeer",
        "0871-6411 2112",
        "https://zwfw.example.gov.cn/yibao",
        [("新生儿什么时候参保？", "出生 90 天内参保的，自出生之日起享受待遇。")],
        True,
    ),
    (
        "yidi-jiuyi-beian",
        "医保异地就医备案",
        "530112-YB-0502",
        "medical-insurance",
        ["migrants", "elderly"],
        "同心区医疗保障局",
        "长期在外地居住或临时外出就医，先备案再直接结算。",
        ["已参加本区基本医疗保险。"],
        [ID_CARD],
        [("线上备案", "本人", "在国家医保服务平台手机应用中填写备案信息，即时生效。")],
        (0, 0, 0),
        "免费",
        None,
        "0871-6411 2113",
        "https://zwfw.example.gov.cn/yidi",
        [],
        False,
    ),
    (
        "jiuye-dengji",
        "就业登记",
        "530112-RS-0601",
        "employment",
        ["new-workers"],
        "同心区人力资源和社会保障局",
        "已就业人员登记就业信息，享受就业扶持政策。",
        ["在法定劳动年龄内，已与用人单位建立劳动关系或从事个体经营、灵活就业。"],
        [ID_CARD, ("劳动合同或营业执照", COPY, 1, False, "灵活就业的本人书面承诺即可")],
        [("登记", "社区就业服务站", "当场办结。")],
        (0, 0, 1),
        "免费",
        "fuxing",
        "0871-6411 2114",
        "",
        [],
        False,
    ),
    (
        "shiye-dengji",
        "失业登记",
        "530112-RS-0602",
        "employment",
        ["new-workers", "low-income"],
        "同心区人力资源和社会保障局",
        "失业后登记，可享受职业介绍、技能培训和失业保险待遇。",
        ["法定劳动年龄内，有劳动能力和就业要求，处于无业状态。"],
        [ID_CARD],
        [("登记", "社区或线上", "常住地社区即可办理，不受户籍限制。")],
        (0, 0, 0),
        "免费",
        "chunyu",
        "0871-6411 2115",
        "https://zwfw.example.gov.cn/shiye",
        [],
        False,
    ),
    (
        "linghuo-jiuye-shebao",
        "灵活就业人员参加养老保险",
        "530112-RS-0603",
        "employment",
        ["new-workers"],
        "同心区社会保险中心",
        "快递员、外卖骑手、网约车司机等灵活就业人员以个人身份参保。",
        ["年满 16 周岁，未在用人单位参保的灵活就业人员；不受户籍限制。"],
        [ID_CARD],
        [("登记", "社保窗口或线上", "选择缴费档次。"), ("缴费", "本人", "按月或按季缴费。")],
        (0, 0, 0),
        "按所选档次缴费",
        "kunlun",
        "0871-6411 2116",
        "https://zwfw.example.gov.cn/shebao",
        [("能按季度交吗？", "可以按月、按季或按年缴纳。")],
        True,
    ),
    (
        "chuangye-daikuan",
        "创业担保贷款申请",
        "530112-RS-0604",
        "employment",
        ["new-workers", "veterans"],
        "同心区人力资源和社会保障局",
        "个人最高 30 万元创业担保贷款，财政给予贴息。",
        ["持营业执照创业的高校毕业生、退役军人、就业困难人员等；本人无不良信用记录。"],
        [
            ID_CARD,
            ("营业执照", COPY, 1, True, ""),
            ("创业项目计划书", ORIG, 1, True, ""),
            ("经营场所租赁合同", COPY, 1, True, ""),
        ],
        [
            ("申请", "区就业服务中心", "提交材料并面谈。"),
            ("审核", "区人社局", "审核资格。"),
            ("放款", "经办银行", "银行审核后放款。"),
        ],
        (20, 15, 2),
        "免费（财政贴息）",
        None,
        "0871-6411 2117",
        "",
        [],
        False,
    ),
    (
        "tuiyi-youdaizheng",
        "退役军人优待证申领",
        "530112-TY-0701",
        "veterans",
        ["veterans"],
        "同心区退役军人事务局",
        "退役军人和其他优抚对象凭优待证享受交通、文旅等优待。",
        ["已在户籍地退役军人服务站完成信息采集的退役军人、烈士遗属等。"],
        [
            ID_CARD,
            ("退役证件", COPY, 1, True, "退伍证、转业证等"),
            ("近期二寸免冠白底彩色照片", ORIG, 1, True, ""),
        ],
        [
            ("申请", "社区退役军人服务站", "提交材料，核对信息。"),
            ("制证", "省退役军人事务厅", "统一制证。"),
            ("领证", "社区退役军人服务站", "制证完成后社区通知领取。"),
        ],
        (30, 30, 1),
        "免费",
        "shiliang",
        "0871-6411 2118",
        "",
        [],
        True,
    ),
    (
        "tuiyi-xinxi-caiji",
        "退役军人信息采集",
        "530112-TY-0702",
        "veterans",
        ["veterans"],
        "同心区退役军人事务局",
        "建立退役军人档案，是享受优待、帮扶的前提。",
        ["户籍在本区的退役军人和其他优抚对象。"],
        [ID_CARD, HUKOU, ("退役证件", COPY, 1, True, "")],
        [("采集", "社区退役军人服务站", "当场采集。")],
        (0, 0, 1),
        "免费",
        "shiliang",
        "0871-6411 2119",
        "",
        [],
        False,
    ),
    (
        "shengyu-dengji",
        "生育登记",
        "530112-WJ-0801",
        "family",
        ["children"],
        "同心区卫生健康局",
        "夫妻生育子女登记，全程网上办理。",
        ["夫妻一方户籍在本区，或在本区居住并持有居住证。"],
        [("夫妻双方身份证", ORIG, 1, True, "线上办理时上传照片")],
        [("线上登记", "本人", "在政务服务平台填写，当场生成登记凭证。")],
        (0, 0, 0),
        "免费",
        None,
        "0871-6411 2120",
        "https://zwfw.example.gov.cn/shengyu",
        [],
        False,
    ),
    (
        "kunjing-ertong",
        "困境儿童基本生活保障",
        "530112-MZ-0802",
        "family",
        ["children", "low-income"],
        "同心区民政局",
        "父母重残、重病或事实无人抚养的儿童，按月领取基本生活费。",
        ["本区户籍未满 18 周岁；属于事实无人抚养儿童或重病重残家庭儿童。"],
        [
            ("儿童户口簿", BOTH, 1, True, ""),
            ("监护人身份证", BOTH, 1, True, ""),
            ("父母重残、重病或服刑等证明", COPY, 1, True, ""),
            BANK,
        ],
        [
            ("申请", "社区", "监护人到社区申请，儿童主任协助。"),
            ("核查", "街道", "核查并公示。"),
            ("审批", "区民政局", "审批后按月发放。"),
        ],
        (30, 20, 1),
        "免费",
        "zhungeer",
        "0871-6411 2121",
        "",
        [],
        False,
    ),
    (
        "gongzufang",
        "公共租赁住房申请",
        "530112-ZJ-0901",
        "housing",
        ["low-income", "new-workers"],
        "同心区住房和城乡建设局",
        "住房困难的中低收入家庭和新就业职工申请公租房。",
        ["在本区无自有住房或人均住房面积低于 15 平方米；家庭收入符合规定标准。"],
        [
            ID_CARD,
            HUKOU,
            ("公共租赁住房申请表", ORIG, 2, True, ""),
            ("收入证明", ORIG, 1, True, "单位出具，灵活就业的本人承诺"),
            ("婚姻状况证明", COPY, 1, True, ""),
        ],
        [
            ("申请", "社区", "提交材料。"),
            ("审核公示", "街道、区住建局", "两级审核、公示。"),
            ("轮候配租", "区住建局", "进入轮候名单，按顺序摇号配租。"),
        ],
        (45, 30, 2),
        "免费（租金另按标准缴纳）",
        "guangling",
        "0871-6411 2122",
        "",
        [],
        False,
    ),
]

# community slug: (centre lat, centre lng) for the invented map
CENTRES = {
    "fuxing": (25.0400, 102.7060),
    "chunyu": (25.0460, 102.7130),
    "jinding": (25.0520, 102.7000),
    "guangling": (25.0340, 102.7190),
    "qianqiu": (25.0280, 102.7080),
    "shiliang": (25.0370, 102.7280),
    "kunlun": (25.0570, 102.7220),
    "zhungeer": (25.0230, 102.7160),
}

WEEKDAYS_ONLY = range(5)
EVERY_DAY = range(7)


def _office():
    spans = [(d, time(8, 30), time(12, 0)) for d in WEEKDAYS_ONLY]
    spans += [(d, time(14, 0), time(17, 30)) for d in WEEKDAYS_ONLY]
    return spans + [(5, time(9, 0), time(12, 0))]


HOURS = {
    "office": _office,
    "weekdays": lambda: [(d, time(9, 0), time(18, 0)) for d in WEEKDAYS_ONLY],
    "daily": lambda: [(d, time(7, 0), time(21, 0)) for d in EVERY_DAY],
    "evening": lambda: [(d, time(10, 0), time(22, 0)) for d in range(6)],
    # For night delivery riders: open through midnight.
    "overnight": lambda: [(d, time(18, 0), time(2, 0)) for d in EVERY_DAY],
    "24h": lambda: [],
}

# slug, name, type, community, (dlat, dlng) from centre, hours, amenities, phone, served, status
STATIONS = [
    # one 党群服务中心 per community
    *[
        (
            f"{slug}-center",
            f"{name}党群服务中心",
            StationType.PARTY_CENTER,
            slug,
            (0.0, 0.0),
            "office",
            ["rest", "water", "toilet", "first_aid", "reading", "wifi", "cooling"],
            "社区居民",
        )
        for slug, name in [
            ("fuxing", "复兴社区"),
            ("chunyu", "春雨社区"),
            ("jinding", "金鼎社区"),
            ("guangling", "广陵社区"),
            ("qianqiu", "千秋社区"),
            ("shiliang", "石梁社区"),
            ("kunlun", "昆仑社区"),
            ("zhungeer", "准噶尔社区"),
        ]
    ],
    (
        "fuxing-huayuan",
        "复兴花园小区红色驿站",
        StationType.RED_STATION,
        "fuxing",
        (0.0032, -0.0021),
        "daily",
        ["rest", "water", "tools", "umbrella", "reading"],
        "小区居民，提供公用维修工具借用",
    ),
    (
        "fuxing-shangquan",
        "复兴路商圈红色蓄能站",
        StationType.ENERGY_STATION,
        "fuxing",
        (-0.0025, 0.0034),
        "24h",
        ["rest", "water", "charging", "microwave", "toilet", "wifi"],
        "外卖送餐员、快递员等新就业群体",
    ),
    (
        "chunyu-louyu",
        "春雨商务楼宇红色驿站",
        StationType.RED_STATION,
        "chunyu",
        (0.0018, 0.0027),
        "weekdays",
        ["rest", "water", "charging", "wifi", "reading"],
        "楼宇白领和新就业群体",
    ),
    (
        "chunyu-huanwei",
        "春雨户外劳动者之家",
        StationType.OUTDOOR_HOME,
        "chunyu",
        (-0.0031, -0.0012),
        "daily",
        ["rest", "water", "charging", "microwave", "toilet", "first_aid", "cooling"],
        "环卫工人、交警、快递员等户外劳动者",
    ),
    (
        "jinding-shichang",
        "金鼎农贸市场红色驿站",
        StationType.RED_STATION,
        "jinding",
        (0.0022, 0.0030),
        "evening",
        ["rest", "water", "toilet", "umbrella"],
        "市场商户和周边居民",
    ),
    (
        "jinding-yexiao",
        "金鼎夜市骑手红色蓄能站",
        StationType.ENERGY_STATION,
        "jinding",
        (-0.0019, 0.0041),
        "overnight",
        ["rest", "water", "charging", "microwave", "toilet"],
        "夜间配送的外卖骑手、网约车司机",
    ),
    (
        "guangling-xiaoqu",
        "广陵小区议事红色驿站",
        StationType.RED_STATION,
        "guangling",
        (0.0027, -0.0018),
        "weekdays",
        ["rest", "water", "tools", "reading"],
        "小区居民，每季度在此开展小区议事",
    ),
    (
        "guangling-kuaidi",
        "广陵快递集散点户外劳动者之家",
        StationType.OUTDOOR_HOME,
        "guangling",
        (-0.0023, 0.0026),
        "24h",
        ["rest", "water", "charging", "microwave", "toilet", "tools", "umbrella"],
        "快递员、货车司机",
    ),
    (
        "qianqiu-gongyuan",
        "千秋公园红色驿站",
        StationType.RED_STATION,
        "qianqiu",
        (0.0030, 0.0024),
        "daily",
        ["rest", "water", "toilet", "first_aid", "cooling"],
        "晨练老人、游园居民和环卫工人",
    ),
    (
        "qianqiu-yiyuan",
        "千秋医院旁红色蓄能站",
        StationType.ENERGY_STATION,
        "qianqiu",
        (-0.0028, -0.0030),
        "evening",
        ["rest", "water", "charging", "microwave", "wifi"],
        "外卖送餐员、快递员",
    ),
    (
        "shiliang-laojie",
        "石梁老街红色驿站",
        StationType.RED_STATION,
        "shiliang",
        (0.0020, -0.0033),
        "daily",
        ["rest", "water", "umbrella", "reading"],
        "老街居民和游客",
    ),
    (
        "shiliang-gongdi",
        "石梁工地户外劳动者之家",
        StationType.OUTDOOR_HOME,
        "shiliang",
        (-0.0034, 0.0015),
        "daily",
        ["rest", "water", "microwave", "toilet", "first_aid"],
        "建筑工人、环卫工人",
    ),
    (
        "kunlun-ditie",
        "昆仑地铁站口红色蓄能站",
        StationType.ENERGY_STATION,
        "kunlun",
        (0.0016, 0.0035),
        "24h",
        ["rest", "water", "charging", "microwave", "toilet", "wifi", "umbrella"],
        "外卖送餐员、快递员、网约车司机",
    ),
    (
        "kunlun-xuexiao",
        "昆仑学校旁红色驿站",
        StationType.RED_STATION,
        "kunlun",
        (-0.0024, -0.0026),
        "weekdays",
        ["rest", "water", "reading", "umbrella"],
        "接送孩子的家长和周边居民",
    ),
    (
        "zhungeer-xiaoqu",
        "准噶尔小区红色驿站",
        StationType.RED_STATION,
        "zhungeer",
        (0.0026, 0.0021),
        "evening",
        ["rest", "water", "tools", "reading", "wifi"],
        "小区居民",
    ),
    (
        "zhungeer-jiayouzhan",
        "准噶尔加油站户外劳动者之家",
        StationType.OUTDOOR_HOME,
        "zhungeer",
        (-0.0021, -0.0034),
        "overnight",
        ["rest", "water", "charging", "microwave", "toilet"],
        "货车司机、夜班环卫工人",
    ),
    (
        "chunyu-laoqu",
        "春雨老旧小区红色驿站",
        StationType.RED_STATION,
        "chunyu",
        (0.0041, -0.0035),
        "weekdays",
        ["rest", "water", "tools"],
        "老旧小区居民",
    ),
]
STATIONS.append(
    (
        "zhungeer-shangchang",
        "准噶尔商场红色蓄能站",
        StationType.ENERGY_STATION,
        "zhungeer",
        (0.0012, -0.0040),
        "daily",
        ["rest", "water", "charging", "microwave", "toilet", "wifi"],
        "外卖送餐员、快递员、商场保洁员",
    )
)
SUSPENDED = {"chunyu-laoqu": "小区微改造施工，暂停服务至 2026 年 12 月底"}

# Which services each community 党群服务中心 offers on the spot.
CENTER_SERVICES = [
    "dibao",
    "gaoling-jintie",
    "laonian-youdai",
    "jiuye-dengji",
    "yibao-canbao",
    "tuiyi-xinxi-caiji",
    "canji-liangxiang-butie",
]
ENERGY_SERVICES = ["linghuo-jiuye-shebao", "juzhuzheng"]


def load_taxonomy() -> None:
    for order, (name, slug, description) in enumerate(CATEGORIES):
        ServiceCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order * 10}
        )
    for order, (name, slug) in enumerate(AUDIENCES):
        ServiceAudience.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})


def _index(model, *, slug: str, title: str, intro: str):
    home = HomePage.objects.get()
    page = model.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=model(title=title, slug=slug, intro=intro))
    page.title, page.intro = title, intro
    page.save_revision().publish()
    return page


def _child(parent, model, slug: str):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    return page, page is None


def _save(parent, page, is_new: bool):
    if is_new:
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _blank_form(title: str, fields: list[str]) -> Document:
    document = Document.objects.filter(title=title).first()
    if document is None:
        text = f"{title}\n\n" + "\n".join(f"{field}：____________________" for field in fields)
        text += "\n\n申请人签字：__________    日期：____年__月__日\n"
        document = Document(title=title)
        document.file.save(f"{title}.txt", ContentFile(text.encode("utf-8")), save=False)
        document.save()
    return document


BLANK_FORMS = {
    "最低生活保障申请书": [
        "申请人姓名",
        "身份证号",
        "家庭住址",
        "共同生活家庭成员",
        "家庭月收入",
        "申请理由",
    ],
    "高龄津贴申请表": ["老人姓名", "身份证号", "出生日期", "户籍地址", "代办人及关系", "银行账号"],
}


def load_stations(index: StationIndexPage) -> dict[str, StationPage]:
    communities = {c.slug: c for c in Community.objects.prefetch_related("grids")}
    stations = {}
    for number, (slug, name, kind, community_slug, (dlat, dlng), hours, amenities, served) in enumerate(
        STATIONS
    ):
        community = communities[community_slug]
        lat, lng = CENTRES[community_slug]
        grids = list(community.grids.all())
        page, is_new = _child(index, StationPage, slug)
        page = page or StationPage(slug=slug)
        page.title = name
        page.station_type = kind
        page.community = community
        page.grid = grids[number % len(grids)] if grids and kind != StationType.PARTY_CENTER else None
        page.address = (
            community.address if kind == StationType.PARTY_CENTER else _address(community, name, number)
        )
        page.latitude = Decimal(f"{lat + dlat:.6f}")
        page.longitude = Decimal(f"{lng + dlng:.6f}")
        page.always_open = hours == "24h"
        page.opening_hours = [StationOpeningHours(weekday=d, opens=o, closes=c) for d, o, c in HOURS[hours]()]
        page.hours_note = "法定节假日另行通知" if hours in ("office", "weekdays") else "节假日照常开放"
        page.amenities = amenities
        page.served_people = served
        page.phone = f"0871-6415 {2000 + number * 7:04d}"
        page.status = StationStatus.SUSPENDED if slug in SUSPENDED else StationStatus.OPERATING
        page.status_note = SUSPENDED.get(slug, "")
        page.intro = _station_intro(kind, served)
        stations[slug] = _save(index, page, is_new)
    return stations


SPOTS = ["入口东侧", "1 号楼架空层", "物业服务用房一楼", "北门旁", "临街铺面 12 号"]
TYPE_SUFFIXES = ("红色驿站", "红色蓄能站", "户外劳动者之家")


def _address(community: Community, name: str, number: int) -> str:
    landmark = name.removeprefix(community.name)  # "复兴社区红色驿站" → "红色驿站"; "准噶尔加油站…" stays
    for suffix in TYPE_SUFFIXES:
        landmark = landmark.removesuffix(suffix)
    return f"同心区{community.name}{landmark}{SPOTS[number % len(SPOTS)]}"


def _station_intro(kind: str, served: str) -> str:
    if kind == StationType.PARTY_CENTER:
        return "社区“一站式”服务窗口，低保、养老、就业、医保等民生事项可在这里咨询和办理，网格员轮流值守。"
    if kind == StationType.ENERGY_STATION:
        return f"面向{served}，提供歇脚充电、热饭喝水、政策宣传和就餐优惠等暖心服务。"
    if kind == StationType.OUTDOOR_HOME:
        return f"面向{served}，提供临时休息、补水充电、加热饭菜，夏季纳凉、冬季取暖。"
    return f"依托小区和商户用房建设，面向{served}，也是开展活动、议事协商的地方。"


def load_services(index: ServiceIndexPage, stations: dict[str, StationPage]) -> None:
    categories = {c.slug: c for c in ServiceCategory.objects.all()}
    audiences = {a.slug: a for a in ServiceAudience.objects.all()}
    forms = {title: _blank_form(title, fields) for title, fields in BLANK_FORMS.items()}
    for (
        slug,
        title,
        code,
        category,
        audience_slugs,
        department,
        summary,
        conditions,
        materials,
        steps,
        (legal, promised, visits),
        fee,
        place,
        phone,
        online,
        faq,
        featured,
    ) in SERVICES:
        page, is_new = _child(index, ServiceItemPage, slug)
        page = page or ServiceItemPage(slug=slug)
        page.title, page.code, page.summary = title, code, summary
        page.category = categories[category]
        page.department = department
        page.conditions = "<ol>" + "".join(f"<li>{c}</li>" for c in conditions) + "</ol>"
        page.process = [("step", {"title": t, "who": who, "detail": detail}) for t, who, detail in steps]
        page.legal_time_limit, page.promised_time_limit, page.max_visits = legal, promised, visits
        page.fee = fee
        page.place_station = stations[f"{place}-center"] if place else None
        page.hall_name, page.hall_address, page.office_hours = ("", "", "") if place else HALL
        if place:
            page.office_hours = "周一至周五 8:30—12:00、14:00—17:30，周六 9:00—12:00"
        page.enquiry_phone, page.complaint_phone = phone, "12345"
        page.online_url = online
        page.faq = [("faq", {"question": q, "answer": a}) for q, a in faq]
        page.last_verified = VERIFIED
        page.featured = featured
        page.materials = [
            ServiceMaterial(
                name=name,
                form=form,
                copies=copies,
                required=required,
                note=note,
                blank_form=forms.get(name),
                sort_order=order,
            )
            for order, (name, form, copies, required, note) in enumerate(materials)
        ]
        page = _save(index, page, is_new)
        page.audiences.set([audiences[a] for a in audience_slugs])
        page.save_revision().publish()


def link_station_services(stations: dict[str, StationPage]) -> None:
    services = {s.slug: s for s in ServiceItemPage.objects.all()}
    for station in stations.values():
        if station.station_type == StationType.PARTY_CENTER:
            wanted = CENTER_SERVICES
        elif station.station_type in (StationType.ENERGY_STATION, StationType.OUTDOOR_HOME):
            wanted = ENERGY_SERVICES
        else:
            continue
        station.services.set([services[s] for s in wanted])
        station.save_revision().publish()


def load(stdout=None) -> None:
    load_taxonomy()
    services_index = _index(
        ServiceIndexPage,
        slug="services",
        title="办事指南",
        intro="一页看懂要带什么、去哪里办、多久办好。可按分类或服务对象查找。",
    )
    stations_index = _index(
        StationIndexPage,
        slug="stations",
        title="红色驿站",
        intro="歇脚、喝水、充电、热饭，找离您最近、现在开着的站点。",
    )
    stations = load_stations(stations_index)
    load_services(services_index, stations)
    link_station_services(stations)
    if stdout:
        stdout.write(f"  办事指南 {len(SERVICES)} 项，驿站 {len(STATIONS)} 个")
