"""Demo data: a fictional city association (辽川市科协) with its staff, grassroots organisations and scientists.

Everything here is invented. The data is built by pure functions from fixed lists and seeded random number
generators, so every run yields exactly the same rows. The registries (组织, 科技工作者, 干部) reach the
database through the workbook importer: `manage.py demo_workbook` writes them to fixtures/demo_workbook.xlsx,
and `seed_demo` (demo/seed.py; reports sits above liaison, so the orchestration lives there) imports that
file. What the workbook format does not carry is written here, keyed by natural keys and saved only when a
value differs: departments (order, the 组织联络部 flag), officers, the admin account and the demo passwords.
Running it again creates nothing and, for unchanged rows, writes nothing (so no audit-log entries either).
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import random
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models

from common.pinyin import pinyin_keys
from experts.models import FourHeads, Gender, Scientist, TalentCategory
from liaison.models import Assignment, Department, Filing, GrassrootsAccount, Position, Staff, Team
from liaison.people.access import ROLE_LABELS, Role
from orgs.models import Officer, OfficerPost, Organization, OrgKind, Tenure

CITY = "辽川市"
ASSOCIATION = f"{CITY}科协"
DEMO_PASSWORD = "kexie2026"
SEED = "liaochuan-demo-2026"
AREA_CODE = "024"

# Role → username of the demo login for that role. The people behind them are in LEADERS / DEPARTMENTS.
DEMO_LOGINS: dict[Role, str] = {
    Role.LEADERSHIP: "wangjianguo",  # 王建国，党组书记、主席
    Role.LIAISON_OFFICE: "liuxiaodong",  # 刘晓东，组织联络部部长
    Role.DEPARTMENT_HEAD: "chenjing",  # 陈静，科普部部长
    Role.STAFF: "zhaolei",  # 赵磊，科普部工作人员
    Role.ADMIN: "admin",  # superuser without a Staff record
    # 三员分立: the three administrators, accounts without a Staff record, each in its group
    Role.SYSTEM_ADMIN: "xitong",
    Role.SECURITY_ADMIN: "anquan",
    Role.AUDITOR: "shenji",
}
ADMIN_USERNAME = DEMO_LOGINS[Role.ADMIN]
ADMINISTRATORS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
# 基层账号: logins tied to one organisation, which file its division of liaison (备案) themselves:
# (username, organisation, the person who holds the account).
GRASSROOTS_LOGINS: list[tuple[str, str, str]] = [
    ("hepingqu", "和平区科协", "唐燕娟"),  # the county association's 秘书长
    ("liaochuandaxue", "辽川大学科协", "张倩萍"),
    ("jixiexuehui", "辽川市机械工程学会", "贺立毅"),
]
GRASSROOTS_LABEL = "基层科协"


# --------------------------------------------------------------------------------------------------------
# The association's own people
# --------------------------------------------------------------------------------------------------------

LEADERS: list[tuple[str, str]] = [
    ("王建国", "党组书记、主席"),
    ("李红梅", "党组副书记、副主席"),
    ("张志强", "党组成员、副主席"),
    ("刘芳", "党组成员、副主席"),
    ("陈卫东", "党组成员、副主席"),
    ("曾庆华", "副主席"),
    ("赵文博", "副主席"),
    ("杨光明", "党组成员、秘书长"),
]

# (department, is liaison office, [(name, title)]): the first person is the 部室负责人, the rest 工作人员.
DEPARTMENTS: list[tuple[str, bool, list[tuple[str, str]]]] = [
    (
        "办公室",
        False,
        [
            ("周海涛", "主任"),
            ("吴静", "副主任"),
            ("郑磊", "一级主任科员"),
            ("张伟", "一级科员"),
            ("冯晓燕", "二级主任科员"),
        ],
    ),
    (
        "组织联络部",
        True,
        [
            ("刘晓东", "部长"),
            ("马丽", "副部长"),
            ("黄志刚", "一级主任科员"),
            ("单丽娜", "二级主任科员"),
            ("何宇", "一级科员"),
        ],
    ),
    (
        "学会学术部",
        False,
        [("林涛", "部长"), ("罗敏", "副部长"), ("高鹏", "一级主任科员"), ("梁雪", "一级科员")],
    ),
    ("科普部", False, [("陈静", "部长"), ("谢东", "副部长"), ("赵磊", "一级主任科员"), ("韩冰", "一级科员")]),
    ("企业工作部", False, [("唐振华", "部长"), ("许娟", "二级主任科员"), ("邓浩", "一级科员")]),
    ("调研宣传部", False, [("宋建军", "部长"), ("蒋玲", "二级主任科员"), ("袁博", "一级科员")]),
    ("人事部", False, [("蔡红", "部长"), ("潘立新", "一级主任科员"), ("田甜", "一级科员")]),
    ("财务部", False, [("杜秀兰", "部长"), ("姜文", "二级主任科员"), ("范佳", "一级科员")]),
    ("科技咨询中心", False, [("彭勇", "主任"), ("吕晶", "副主任"), ("苏晨", "一级科员")]),
    ("机关党委", False, [("董平", "专职副书记"), ("章伟", "一级科员")]),
    ("信息中心", False, [("魏国栋", "主任"), ("叶倩", "副主任"), ("钟凯", "一级科员")]),
    ("学会服务中心", False, [("石慧", "主任"), ("孔祥瑞", "一级科员")]),
]


@dataclass(frozen=True)
class StaffSpec:
    name: str
    username: str
    department: str | None
    position: str
    title: str
    order: int
    phone: str


# --------------------------------------------------------------------------------------------------------
# Places: county-level associations, townships (乡镇、街道) and villages (村、社区)
# --------------------------------------------------------------------------------------------------------

# (name, rural?) — rural ones (县、县级市) have agricultural units; urban districts have tech companies.
DISTRICTS: list[tuple[str, bool]] = [
    ("和平区", False),
    ("川东区", False),
    ("川西区", False),
    ("滨河区", False),
    ("北塔区", False),
    ("望湖区", False),
    ("松岭区", False),
    ("白石区", False),
    ("清源县", True),
    ("石岭县", True),
    ("青山县", True),
    ("兰河县", True),
    ("云泉市", True),
]

TOWNSHIPS: dict[str, list[str]] = {
    "和平区": ["集贤街道", "长白街道", "新华街道", "西塔街道"],
    "滨河区": ["沿江街道", "望江街道", "柳荫街道"],
    "清源县": ["红旗镇", "南山镇", "石门镇", "北三家乡", "英额镇"],
    "石岭县": ["石岭镇", "柳条镇", "东营乡", "黄花甸镇"],
    "云泉市": ["云泉街道", "泉水镇", "龙王庙镇", "双井子乡"],
}

VILLAGES: dict[str, list[str]] = {
    "集贤街道": ["集贤社区", "百鸟社区"],
    "沿江街道": ["沿江社区"],
    "红旗镇": ["红旗村", "前进村", "东风村"],
    "南山镇": ["南山村", "杨树沟村"],
    "石门镇": ["石门村", "下河村"],
    "柳条镇": ["柳条村", "大房身村", "小堡村"],
    "泉水镇": ["泉水村", "上河湾村"],
}

# Agricultural technology associations (农技协), located in a county.
AGRI_TECH: list[tuple[str, str]] = [
    ("清源县食用菌技术协会", "清源县"),
    ("石岭县果树技术协会", "石岭县"),
    ("青山县养蜂技术协会", "青山县"),
    ("兰河县水稻种植技术协会", "兰河县"),
    ("云泉市中药材种植技术协会", "云泉市"),
]

STREETS = [
    "中山路",
    "青年大街",
    "文化路",
    "建设大路",
    "光明街",
    "长江街",
    "黄河大街",
    "人民路",
    "新华路",
    "胜利大街",
    "学府路",
    "科技路",
    "创新路",
    "工业大道",
    "滨河路",
    "和平大街",
    "振兴路",
    "北陵大街",
]

# --------------------------------------------------------------------------------------------------------
# Employers (units). An employer's grassroots association is named "<unit>科协".
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    name: str
    sector: str  # a key of SECTOR_PROFILES
    fields: tuple[tuple[str, str], ...]  # (sub-unit: school, lab, clinical department…, discipline)
    kind: str | None  # kind of its own association "<name>科协"; None: it has none
    organization: str | None = None  # the association it belongs to when it has none of its own


def _uni(name: str, *fields: tuple[str, str]) -> Unit:
    return Unit(name, "university", fields, OrgKind.UNIVERSITY)


def _inst(name: str, *fields: tuple[str, str]) -> Unit:
    return Unit(name, "institute", fields, OrgKind.UNIVERSITY)


def _ent(name: str, *disciplines: str, kind: str = OrgKind.ENTERPRISE, org: str | None = None) -> Unit:
    subs = ("技术中心", "研发中心", "工艺研究所")
    fields = tuple((subs[i % len(subs)], d) for i, d in enumerate(disciplines))
    return Unit(name, "enterprise", fields, None if org else kind, org)


UNIVERSITIES: list[Unit] = [
    _uni(
        "辽川理工大学",
        ("机械工程学院", "机械工程"),
        ("材料科学与工程学院", "材料科学与工程"),
        ("信息科学与工程学院", "计算机科学与技术"),
        ("电气工程学院", "电气工程"),
        ("自动化学院", "控制科学与工程"),
    ),
    _uni(
        "辽川大学",
        ("物理学院", "物理学"),
        ("数学学院", "数学"),
        ("生命科学学院", "生物学"),
        ("化学学院", "化学"),
        ("环境学院", "环境科学"),
    ),
    _uni(
        "辽川医科大学",
        ("基础医学院", "基础医学"),
        ("公共卫生学院", "公共卫生与预防医学"),
        ("药学院", "药学"),
        ("护理学院", "护理学"),
    ),
    _uni(
        "辽川农业大学",
        ("农学院", "作物学"),
        ("园艺学院", "园艺学"),
        ("植物保护学院", "植物保护"),
        ("畜牧兽医学院", "畜牧学"),
        ("水利学院", "农业水利工程"),
    ),
    _uni(
        "辽川师范大学",
        ("教育科学学院", "教育学"),
        ("心理学院", "心理学"),
        ("地理科学学院", "地理学"),
        ("化学化工学院", "化学"),
    ),
    _uni(
        "辽川工业大学",
        ("机械学院", "机械工程"),
        ("信息学院", "信息与通信工程"),
        ("管理学院", "管理科学与工程"),
        ("化工学院", "化学工程与技术"),
    ),
    _uni(
        "辽川建筑大学",
        ("建筑学院", "建筑学"),
        ("土木工程学院", "土木工程"),
        ("市政与环境工程学院", "环境工程"),
        ("交通工程学院", "交通运输工程"),
    ),
    _uni(
        "辽川航空航天大学",
        ("航空宇航学院", "航空宇航科学与技术"),
        ("材料学院", "材料科学与工程"),
        ("电子信息学院", "电子科学与技术"),
    ),
    _uni("辽川药科大学", ("药学院", "药学"), ("中药学院", "中药学"), ("生物制药学院", "生物制药")),
    _uni("辽川中医药大学", ("中医学院", "中医学"), ("针灸推拿学院", "针灸推拿学"), ("药学院", "中药学")),
    _uni("辽川职业技术学院", ("智能制造学院", "机械制造及自动化"), ("信息工程学院", "计算机应用技术")),
    _uni("辽川科技学院", ("人工智能学院", "人工智能"), ("数据科学学院", "数据科学")),
    _inst(
        "中科院辽川应用技术研究所",
        ("催化研究室", "催化化学"),
        ("环境技术研究室", "环境工程"),
        ("生态研究室", "生态学"),
    ),
    _inst(
        "中科院辽川金属材料研究所",
        ("高温合金研究部", "材料科学与工程"),
        ("腐蚀与防护研究部", "腐蚀科学与防护"),
        ("先进材料研究部", "材料物理与化学"),
    ),
    _inst(
        "中科院辽川自动化研究所",
        ("机器人学研究室", "机器人技术"),
        ("智能感知研究室", "模式识别与智能系统"),
        ("工业控制研究室", "控制科学与工程"),
    ),
    _inst(
        "辽川市农业科学院",
        ("作物研究所", "作物遗传育种"),
        ("植物保护研究所", "植物保护"),
        ("果树研究所", "果树学"),
        ("畜牧研究所", "动物营养与饲料科学"),
    ),
    _inst("辽川市医学科学院", ("临床研究所", "临床医学"), ("疾病预防研究所", "流行病与卫生统计学")),
    _inst("辽川市环境科学研究院", ("大气环境研究所", "大气环境"), ("水环境研究所", "水环境")),
    _inst("辽川市林业科学研究院", ("森林培育研究室", "林学"), ("林业有害生物防治研究室", "森林保护")),
    _inst("辽川市水利科学研究院", ("水资源研究所", "水文学及水资源"), ("防汛抗旱研究所", "水利工程")),
]

_HOSPITAL_FIELDS = (
    ("心血管内科", "心血管病学"),
    ("神经外科", "神经外科学"),
    ("肿瘤科", "肿瘤学"),
    ("儿科", "儿科学"),
    ("骨科", "骨科学"),
    ("呼吸与危重症医学科", "呼吸病学"),
    ("医学影像科", "医学影像学"),
    ("内分泌科", "内分泌与代谢病学"),
)

HOSPITALS: list[Unit] = [
    Unit("辽川市中心医院", "hospital", _HOSPITAL_FIELDS, OrgKind.VICE_CHAIR_UNIT),
    Unit("辽川市第一人民医院", "hospital", _HOSPITAL_FIELDS[::-1], OrgKind.VICE_CHAIR_UNIT),
    Unit("辽川医科大学附属第一医院", "hospital", _HOSPITAL_FIELDS[1:], None, "辽川医科大学科协"),
    Unit(
        "辽川中医药大学附属医院",
        "hospital",
        (("中医内科", "中医内科学"), ("针灸科", "针灸推拿学"), ("中医骨伤科", "中医骨伤科学")),
        None,
        "辽川中医药大学科协",
    ),
]

VICE_CHAIR_UNITS: list[Unit] = [
    _ent("辽川电力有限公司", "电力系统及其自动化", "高电压与绝缘技术", kind=OrgKind.VICE_CHAIR_UNIT),
    _ent("辽川钢铁集团", "冶金工程", "材料加工工程", kind=OrgKind.VICE_CHAIR_UNIT),
    Unit(
        "辽川市气象局",
        "agency",
        (("气象台", "大气科学"), ("气候中心", "气候学"), ("人工影响天气办公室", "大气物理学")),
        OrgKind.VICE_CHAIR_UNIT,
    ),
]

ENTERPRISES: list[Unit] = [
    _ent("辽川重型机器集团", "机械工程", "冶金机械"),
    _ent("辽川鼓风机集团", "流体机械", "机械工程"),
    _ent("辽川机床集团", "数控技术", "机械制造及其自动化"),
    _ent("辽川变压器集团", "电气工程", "高电压与绝缘技术"),
    _ent("辽川航空工业集团", "航空宇航制造工程", "材料科学与工程"),
    _ent("辽川汽车集团", "车辆工程", "新能源汽车"),
    _ent("辽川化工集团", "化学工程", "精细化工"),
    _ent("辽川制药集团", "药学", "制药工程"),
    _ent("辽川康达生物制药有限公司", "生物制药", "药物分析"),
    _ent("辽川智造机器人有限公司", "机器人技术", "控制科学与工程"),
    _ent("辽川芯微电子有限公司", "集成电路", "微电子学"),
    _ent("辽川云图信息技术有限公司", "软件工程", "大数据技术"),
    _ent("辽川燃气集团", "燃气工程", "安全工程"),
    _ent("辽川水务集团", "给排水工程", "环境工程"),
    _ent("辽川地铁集团", "城市轨道交通", "土木工程"),
    _ent("辽川建工集团", "土木工程", "建筑施工技术"),
    _ent("辽川市政工程设计研究院", "市政工程", "桥梁与隧道工程"),
    _ent("辽川热电集团", "热能工程", "动力工程"),
    _ent("辽川矿山机械有限公司", "矿山机械", "机械设计"),
    _ent("辽川特种钢材有限公司", "冶金工程", "材料科学与工程"),
    _ent("辽川轮胎集团", "高分子材料", "化学工程"),
    _ent("辽川光电科技有限公司", "光学工程", "光电信息工程"),
    _ent("辽川新能源科技有限公司", "新能源科学与工程", "储能技术"),
    _ent("辽川风电装备有限公司", "风能工程", "机械设计"),
    _ent("辽川环保产业集团", "环境工程", "固体废物处理"),
    _ent("辽川农业发展集团", "农业工程", "作物遗传育种"),
    _ent("辽川乳业集团", "食品科学", "乳品工程"),
    _ent("辽川啤酒集团", "食品科学", "发酵工程"),
    _ent("辽川纺织集团", "纺织工程", "纺织材料"),
    _ent("辽川医疗器械有限公司", "生物医学工程", "医疗器械"),
    _ent("辽川信通网络有限公司", "通信工程", "网络空间安全"),
    _ent("辽川仪表集团", "仪器科学与技术", "测控技术"),
    _ent("辽川铸锻工业有限公司", "铸造", "锻压"),
    _ent("辽川电缆集团", "电线电缆", "高分子材料"),
    _ent("辽川精密轴承有限公司", "机械设计", "摩擦学"),
    _ent("辽川数控刀具有限公司", "切削加工", "材料加工工程"),
]

# Parks have their own association; the companies in them have none and belong to the park's.
PARKS: list[tuple[str, list[Unit]]] = [
    (
        "辽川高新区",
        [
            _ent("辽川芯源半导体有限公司", "集成电路", "半导体材料", org="辽川高新区科协"),
            _ent("辽川数智科技有限公司", "人工智能", "计算机视觉", org="辽川高新区科协"),
        ],
    ),
    (
        "辽川经济技术开发区",
        [_ent("辽川华瑞精密机械有限公司", "机械制造", "精密加工", org="辽川经济技术开发区科协")],
    ),
    (
        "辽川航空产业园",
        [_ent("辽川翔宇航空零部件有限公司", "航空制造", "复合材料", org="辽川航空产业园科协")],
    ),
    ("辽川软件园", [_ent("辽川蓝海软件有限公司", "软件工程", "信息系统", org="辽川软件园科协")]),
]

OTHER_UNITS: list[Unit] = [
    Unit("辽川市科学技术馆", "museum", (("展教部", "科普教育"), ("青少年科技部", "科技教育")), OrgKind.OTHER),
    Unit(
        "辽川市青少年科技活动中心",
        "museum",
        (("科技辅导部", "科技教育"), ("创客教育部", "信息技术教育")),
        OrgKind.OTHER,
    ),
]

# Municipal societies: (name without the city, the unit that hosts it and provides its officers).
SOCIETIES: list[tuple[str, str]] = [
    ("机械工程学会", "辽川理工大学"),
    ("电机工程学会", "辽川电力有限公司"),
    ("计算机学会", "辽川大学"),
    ("医学会", "辽川市中心医院"),
    ("药学会", "辽川药科大学"),
    ("护理学会", "辽川医科大学附属第一医院"),
    ("中医药学会", "辽川中医药大学"),
    ("预防医学会", "辽川市医学科学院"),
    ("抗癌协会", "辽川市第一人民医院"),
    ("营养学会", "辽川医科大学"),
    ("心理学会", "辽川师范大学"),
    ("气象学会", "辽川市气象局"),
    ("地质学会", "辽川大学"),
    ("测绘地理信息学会", "辽川建筑大学"),
    ("汽车工程学会", "辽川汽车集团"),
    ("航空学会", "辽川航空航天大学"),
    ("城市轨道交通学会", "辽川地铁集团"),
    ("公路学会", "辽川市政工程设计研究院"),
    ("土木建筑学会", "辽川建筑大学"),
    ("建筑学会", "辽川建筑大学"),
    ("城市规划学会", "辽川市政工程设计研究院"),
    ("金属学会", "中科院辽川金属材料研究所"),
    ("铸造学会", "辽川铸锻工业有限公司"),
    ("焊接学会", "辽川重型机器集团"),
    ("自动化学会", "中科院辽川自动化研究所"),
    ("仪器仪表学会", "辽川仪表集团"),
    ("电子学会", "辽川航空航天大学"),
    ("通信学会", "辽川信通网络有限公司"),
    ("人工智能学会", "辽川科技学院"),
    ("物理学会", "辽川大学"),
    ("数学会", "辽川大学"),
    ("化学化工学会", "辽川化工集团"),
    ("生物工程学会", "辽川康达生物制药有限公司"),
    ("农学会", "辽川农业大学"),
    ("林学会", "辽川市林业科学研究院"),
    ("水利学会", "辽川市水利科学研究院"),
    ("植物保护学会", "辽川市农业科学院"),
    ("畜牧兽医学会", "辽川农业大学"),
    ("园艺学会", "辽川农业大学"),
    ("土壤肥料学会", "辽川市农业科学院"),
    ("食品科学技术学会", "辽川乳业集团"),
    ("环境科学学会", "辽川市环境科学研究院"),
    ("生态学会", "中科院辽川应用技术研究所"),
    ("能源研究会", "辽川热电集团"),
    ("可再生能源学会", "辽川新能源科技有限公司"),
    ("材料研究学会", "中科院辽川金属材料研究所"),
    ("腐蚀与防护学会", "中科院辽川金属材料研究所"),
    ("消防协会", "辽川燃气集团"),
    ("质量协会", "辽川机床集团"),
    ("标准化协会", "辽川仪表集团"),
    ("发明协会", "辽川理工大学"),
    ("科普作家协会", "辽川市科学技术馆"),
    ("青少年科技教育协会", "辽川市青少年科技活动中心"),
    ("老科技工作者协会", "辽川理工大学"),
    ("女科技工作者协会", "辽川医科大学"),
    ("科技期刊编辑学会", "辽川大学"),
    ("康复医学会", "辽川市第一人民医院"),
    ("医师协会", "辽川市中心医院"),
    ("口腔医学会", "辽川医科大学附属第一医院"),
    ("中西医结合学会", "辽川中医药大学附属医院"),
    ("生产力学会", "辽川工业大学"),
    ("软科学研究会", "辽川工业大学"),
    ("技术经济研究会", "辽川科技学院"),
    ("风景园林学会", "辽川建筑大学"),
]

# Posts and titles by sector and seniority: (post, with "{sub}" for the sub-unit; title).
SECTOR_PROFILES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "university": {
        "top": [("{sub}名誉院长", "教授"), ("学术委员会主任", "教授"), ("首席科学家", "教授")],
        "senior": [
            ("{sub}院长", "教授"),
            ("{sub}副院长", "教授"),
            ("{sub}教授、博士生导师", "教授"),
            ("重点实验室主任", "教授"),
        ],
        "mid": [
            ("{sub}副院长", "教授"),
            ("{sub}教授", "教授"),
            ("{sub}副教授、硕士生导师", "副教授"),
            ("{sub}系主任", "副教授"),
        ],
        "junior": [("{sub}副教授", "副教授"), ("{sub}讲师", "讲师"), ("{sub}青年教师", "讲师")],
    },
    "institute": {
        "top": [("名誉所长", "研究员"), ("首席科学家", "研究员")],
        "senior": [
            ("所长", "研究员"),
            ("副所长", "研究员"),
            ("{sub}主任", "研究员"),
            ("{sub}课题组长", "研究员"),
        ],
        "mid": [("{sub}副主任", "研究员"), ("{sub}课题组长", "副研究员")],
        "junior": [("{sub}助理研究员", "助理研究员"), ("{sub}副研究员", "副研究员")],
    },
    "hospital": {
        "top": [("名誉院长", "主任医师")],
        "senior": [("院长", "主任医师"), ("副院长", "主任医师"), ("{sub}主任", "主任医师")],
        "mid": [("{sub}副主任", "副主任医师"), ("{sub}主任", "主任医师")],
        "junior": [("{sub}主治医师", "主治医师"), ("{sub}医师", "主治医师")],
    },
    "enterprise": {
        "top": [("首席科学家", "正高级工程师"), ("总工程师", "正高级工程师")],
        "senior": [
            ("总工程师", "正高级工程师"),
            ("副总经理", "正高级工程师"),
            ("{sub}主任", "正高级工程师"),
            ("首席专家", "高级工程师"),
        ],
        "mid": [("{sub}副主任", "高级工程师"), ("研发部经理", "高级工程师"), ("项目总监", "高级工程师")],
        "junior": [("研发工程师", "工程师"), ("工艺工程师", "工程师"), ("项目经理", "工程师")],
        "frontline": [
            ("车间主任", "高级技师"),
            ("首席技师", "高级技师"),
            ("班组长", "技师"),
            ("设备工程师", "工程师"),
        ],
    },
    "agency": {
        "top": [("首席预报员", "正研级高级工程师")],
        "senior": [
            ("副局长", "正研级高级工程师"),
            ("{sub}主任", "正研级高级工程师"),
            ("首席预报员", "正研级高级工程师"),
        ],
        "mid": [("{sub}副主任", "高级工程师"), ("首席预报员", "高级工程师")],
        "junior": [("{sub}预报员", "工程师")],
    },
    "museum": {
        "senior": [("馆长", "研究馆员")],
        "mid": [("{sub}主任", "副研究馆员"), ("{sub}科普辅导员", "馆员")],
        "junior": [("{sub}科普辅导员", "馆员")],
    },
}

# Officers' jobs by the host unit's sector: (chair, secretary-general).
OFFICER_JOBS = {
    "university": ("副校长", "科技处处长"),
    "institute": ("所长", "科研处处长"),
    "hospital": ("院长", "科教科科长"),
    "enterprise": ("总工程师", "技术中心主任"),
    "agency": ("副局长", "科技与预报处处长"),
    "museum": ("馆长", "展教部主任"),
}

# Grassroots (frontline) units: (post, title, discipline) of the head and of the other staff.
FRONTLINE_PROFILES: dict[str, dict[str, Any]] = {
    "county_hospital": {
        "head": [("院长", "主任医师", "内科学"), ("院长", "副主任医师", "全科医学")],
        "four_heads": FourHeads.HOSPITAL,
        "staff": [
            ("全科医学科医生", "主治医师", "全科医学"),
            ("内科主任", "副主任医师", "内科学"),
            ("中医科医生", "主治中医师", "中医学"),
            ("外科医生", "主治医师", "外科学"),
        ],
    },
    "school": {
        "head": [("校长", "正高级教师", "教育管理"), ("校长", "高级教师", "科学教育")],
        "four_heads": FourHeads.SCHOOL,
        "staff": [
            ("科学教师", "高级教师", "科学教育"),
            ("信息技术教师", "一级教师", "信息技术教育"),
            ("物理教师", "一级教师", "物理教育"),
        ],
    },
    "agri_station": {
        "head": [("站长", "正高级农艺师", "作物栽培"), ("站长", "高级农艺师", "农业技术推广")],
        "four_heads": FourHeads.AGRI_STATION,
        "staff": [
            ("农技员", "农艺师", "作物栽培"),
            ("植保员", "高级农艺师", "植物保护"),
            ("畜牧兽医员", "兽医师", "畜牧兽医"),
            ("农机推广员", "助理农艺师", "农业机械化"),
        ],
    },
    "village_clinic": {"head": [], "four_heads": "", "staff": [("乡村医生", "", "全科医学")]},
    "agri_company": {
        "head": [("理事长", "高级农艺师", "{field}"), ("董事长", "农艺师", "{field}")],
        "four_heads": FourHeads.ENTREPRENEUR,
        "staff": [("技术员", "农艺师", "{field}"), ("技术负责人", "助理农艺师", "{field}")],
    },
    "tech_company": {
        "head": [("董事长、总经理", "高级工程师", "{field}"), ("董事长", "正高级工程师", "{field}")],
        "four_heads": FourHeads.ENTREPRENEUR,
        "staff": [("技术总监", "高级工程师", "{field}"), ("研发工程师", "工程师", "{field}")],
    },
}

# Agricultural companies and co-operatives of the rural counties: (name without county, field).
AGRI_COMPANIES: dict[str, tuple[str, str]] = {
    "清源县": ("绿源食用菌专业合作社", "食用菌栽培"),
    "石岭县": ("金果果业科技有限公司", "果树栽培"),
    "青山县": ("百花蜂业专业合作社", "蜜蜂养殖"),
    "兰河县": ("稻香农业科技有限公司", "水稻育种"),
    "云泉市": ("本草堂中药材种植专业合作社", "中药材栽培"),
}

# Tech companies of the urban districts: (company, field); they belong to the district association.
TECH_COMPANIES: dict[str, tuple[str, str]] = {
    "和平区": ("辽川和润环保科技有限公司", "环境工程"),
    "川东区": ("辽川东智物联科技有限公司", "物联网工程"),
    "川西区": ("辽川西晨新材料有限公司", "新材料"),
    "滨河区": ("辽川滨江生物科技有限公司", "生物技术"),
    "北塔区": ("辽川北辰检测技术有限公司", "检验检测"),
    "望湖区": ("辽川湖光智能装备有限公司", "智能制造"),
    "松岭区": ("辽川松科农业科技有限公司", "设施农业"),
    "白石区": ("辽川白石新能源有限公司", "新能源科学与工程"),
}

# Talent categories: how many, and how their employers are chosen.
CATEGORY_COUNTS: list[tuple[str, int]] = [
    (TalentCategory.ACADEMICIAN, 6),
    (TalentCategory.RENOWNED, 45),
    (TalentCategory.HIGH_LEVEL, 45),
    (TalentCategory.LEADING, 40),
    (TalentCategory.OUTSTANDING, 35),
    (TalentCategory.YOUNG, 35),
    (TalentCategory.FRONTLINE, 80),
    (TalentCategory.OTHER, 10),
]

ACADEMICIANS: list[tuple[str, str]] = [
    ("中科院辽川金属材料研究所", "中国科学院院士"),
    ("中科院辽川自动化研究所", "中国工程院院士"),
    ("辽川理工大学", "中国工程院院士"),
    ("辽川医科大学", "中国工程院院士"),
    ("辽川农业大学", "中国工程院院士"),
    ("辽川重型机器集团", "中国工程院院士"),
]

# Category → ({sector: weight}, {seniority: weight}, birth years).
CATEGORY_PROFILES: dict[str, tuple[dict[str, int], dict[str, int], tuple[int, int]]] = {
    TalentCategory.RENOWNED: (
        {"university": 35, "institute": 25, "hospital": 25, "enterprise": 15},
        {"senior": 1},
        (1952, 1972),
    ),
    TalentCategory.HIGH_LEVEL: (
        {"university": 30, "institute": 25, "hospital": 15, "enterprise": 30},
        {"senior": 7, "mid": 3},
        (1965, 1986),
    ),
    TalentCategory.LEADING: (
        {"university": 35, "institute": 20, "hospital": 25, "enterprise": 15, "agency": 5},
        {"senior": 1, "mid": 1},
        (1962, 1983),
    ),
    TalentCategory.OUTSTANDING: (
        {"university": 20, "institute": 15, "hospital": 25, "enterprise": 35, "agency": 5},
        {"senior": 2, "mid": 3},
        (1960, 1982),
    ),
    TalentCategory.YOUNG: (
        {"university": 40, "institute": 25, "hospital": 10, "enterprise": 25},
        {"junior": 1},
        (1988, 1998),
    ),
}

NOTES: dict[str, list[str]] = {
    "expert": [
        "享受国务院政府特殊津贴。",
        "2024年获辽川市科学技术进步奖一等奖。",
        "辽川市优秀科技工作者。",
        "曾通过《科技工作者建议》提出加强产学研合作的建议。",
        "市科协决策咨询专家库成员。",
        "近期患病住院，需看望慰问。",
        "牵头国家重点研发计划项目一项。",
    ],
    "young": [
        "辽川市青年科技奖获得者。",
        "希望获得更多学术交流机会。",
        "反映科研启动经费不足，待跟进。",
    ],
    "frontline": [
        "长期扎根基层，负责全县新品种、新技术推广。",
        "辽川市最美科技工作者。",
        "反映卫生院缺少影像设备，待跟进。",
        "担任村级科普宣传员，热心科普活动。",
        "近期患病，需看望慰问。",
    ],
}

SURNAMES = (
    "王" * 12
    + "李" * 12
    + "张" * 11
    + "刘" * 9
    + "陈" * 8
    + "杨" * 6
    + "赵" * 5
    + "黄" * 4
    + "周" * 4
    + "吴" * 4
    + "徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方"
    + "石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
    + "单单单曾曾曾"
)
MALE_CHARS = (
    "建国志强伟军明华立新文海涛斌勇峰鹏宇浩晨博翔昊俊杰振东刚鑫磊春林松永德成光辉忠兵庆学宏坤凯旭彬锋韬毅远哲"
)
FEMALE_CHARS = "红丽芳敏静燕娟霞玲梅婷雪琳颖慧莉萍艳华秀晶悦欣怡佳雯楠薇岚洁蕾璐倩瑶思曼"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved domains: mail never reaches anyone
MOBILE_PREFIXES = tuple(f"13{d}" for d in range(10)) + (
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
)


# --------------------------------------------------------------------------------------------------------
# Pure builders
# --------------------------------------------------------------------------------------------------------


def _rng(*key: object) -> random.Random:
    """A generator seeded by a key, so one row's values do not shift when other rows are added."""
    return random.Random(":".join([SEED, *map(str, key)]))


def _digits(key: str, count: int) -> str:
    number = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest(), 16)
    return f"{number % 10**count:0{count}d}"


def demo_mobile(key: str) -> str:
    """A valid, deterministic mainland mobile number for a key."""
    prefix = MOBILE_PREFIXES[int(_digits(f"prefix:{key}", 6)) % len(MOBILE_PREFIXES)]
    return prefix + _digits(f"mobile:{key}", 8)


def demo_landline(key: str) -> str:
    """A valid, deterministic landline in the city's area code, e.g. "024-23456789"."""
    first = "2368"[int(_digits(f"first:{key}", 4)) % 4]
    return f"{AREA_CODE}-{first}{_digits(f'landline:{key}', 7)}"


def person_name(rng: random.Random, gender: str) -> str:
    chars = FEMALE_CHARS if gender == Gender.FEMALE else MALE_CHARS
    given = rng.choice(chars)
    if rng.random() < 0.75:
        second = rng.choice(chars)
        while second == given:
            second = rng.choice(chars)
        given += second
    return rng.choice(SURNAMES) + given


def usernames_for(names: Iterable[str]) -> list[str]:
    """Pinyin usernames in order; a clash gets a digit: zhangwei, zhangwei2, zhangwei3…"""
    taken: set[str] = set()
    result = []
    for name in names:
        base = pinyin_keys(name, person=True)[0]
        username, n = base, 1
        while username in taken:
            n += 1
            username = f"{base}{n}"
        taken.add(username)
        result.append(username)
    return result


def build_staff() -> list[StaffSpec]:
    people: list[tuple[str, str | None, str, str, int]] = [
        (name, None, Position.LEADERSHIP, title, i) for i, (name, title) in enumerate(LEADERS, start=1)
    ]
    for department, _liaison, members in DEPARTMENTS:
        for i, (name, title) in enumerate(members, start=1):
            position = Position.DEPARTMENT_HEAD if i == 1 else Position.STAFF
            people.append((name, department, position, title, i))
    usernames = usernames_for(p[0] for p in people)
    return [
        StaffSpec(name, username, department, position, title, order, demo_mobile(f"staff:{name}"))
        for (name, department, position, title, order), username in zip(people, usernames, strict=True)
    ]


@dataclass
class OrgSpec:
    name: str
    kind: str
    parent: str | None = None
    county: str | None = None
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class OfficerSpec:
    organization: str
    post: str
    name: str
    job: str
    phone: str
    order: int
    tenure: str = ""
    four_heads: str = ""


def officer_tenure(kind: str, post: str, organization: str, name: str) -> str:
    """How the demo's officers hold their posts (seed 004: 任职 · 兼职 · 挂职): the full-time posts of county
    associations are appointments; the chairs of townships and villages are local leaders serving part-time;
    about a third of the township secretaries are seconded (挂职); elsewhere posts are part-time. A generator
    of its own, so that the names drawn before stay the same."""
    if post == OfficerPost.PARTTIME_VICE_CHAIR:
        return Tenure.CONCURRENT
    if kind == OrgKind.DISTRICT and post in (OfficerPost.FULLTIME_VICE_CHAIR, OfficerPost.SECRETARY_GENERAL):
        return Tenure.APPOINTED
    if kind == OrgKind.TOWNSHIP and post == OfficerPost.SECRETARY_GENERAL:
        seconded = _rng("tenure", organization, name).random() < 1 / 3
        return Tenure.SECONDED if seconded else Tenure.APPOINTED
    if kind == OrgKind.SOCIETY and post == OfficerPost.DEPUTY_SECRETARY_GENERAL:
        return Tenure.APPOINTED
    return Tenure.CONCURRENT


@dataclass
class DemoData:
    departments: list[tuple[str, bool, int]]
    staff: list[StaffSpec]
    organizations: list[OrgSpec]
    officers: list[OfficerSpec]
    scientists: list[dict[str, Any]]


def _address(rng: random.Random, place: str) -> str:
    return f"{CITY}{place}{rng.choice(STREETS)}{rng.randint(1, 300)}号"


def all_units() -> list[Unit]:
    units = [*UNIVERSITIES, *HOSPITALS, *VICE_CHAIR_UNITS, *ENTERPRISES, *OTHER_UNITS]
    for _park, companies in PARKS:
        units.extend(companies)
    return units


def _district_of(township: str) -> str:
    return next(d for d, towns in TOWNSHIPS.items() if township in towns)


def build_organizations() -> tuple[list[OrgSpec], list[OfficerSpec]]:
    """Organisations in an order where parents come first, and their officers."""
    orgs: list[OrgSpec] = []
    officers: list[OfficerSpec] = []
    units = {u.name: u for u in all_units()}

    def add(spec: OrgSpec, posts: list[tuple[str, str]]) -> None:
        """Add an organisation with officers in these posts; its contact is the 秘书长 if there is one."""
        rng = _rng("org", spec.name)
        names: dict[str, str] = {}  # officer name → post
        for order, (post, job) in enumerate(posts, start=1):
            name = person_name(rng, Gender.FEMALE if rng.random() < 0.3 else Gender.MALE)
            while name in names:
                name = person_name(rng, Gender.MALE)
            names[name] = post
            tenure = officer_tenure(spec.kind, post, spec.name, name)
            phone = demo_mobile(f"officer:{spec.name}:{name}")
            officers.append(OfficerSpec(spec.name, post, name, job, phone, order, tenure))
        if rng.random() < 0.9:  # most organisations have contact details
            secretaries = [name for name, post in names.items() if post == OfficerPost.SECRETARY_GENERAL]
            spec.contact_person = secretaries[0] if secretaries else person_name(rng, Gender.FEMALE)
            spec.contact_phone = (
                demo_landline(f"org:{spec.name}") if rng.random() < 0.8 else demo_mobile(spec.name)
            )
        orgs.append(spec)

    for district, _rural in DISTRICTS:
        name = f"{district}科协"
        add(
            OrgSpec(name, OrgKind.DISTRICT, address=_address(_rng("addr", name), district)),
            [
                (OfficerPost.CHAIR, f"{district}科协主席"),
                (OfficerPost.FULLTIME_VICE_CHAIR, f"{district}科协专职副主席"),
                (OfficerPost.SECRETARY_GENERAL, f"{district}科协秘书长"),
            ],
        )
    for district, towns in TOWNSHIPS.items():
        for town in towns:
            head = (
                "街道办事处副主任"
                if town.endswith("街道")
                else ("副乡长" if town.endswith("乡") else "副镇长")
            )
            add(
                OrgSpec(
                    f"{town}科协",
                    OrgKind.TOWNSHIP,
                    parent=f"{district}科协",
                    address=_address(_rng("addr", town), district + town),
                ),
                [(OfficerPost.CHAIR, f"{town}{head}"), (OfficerPost.SECRETARY_GENERAL, f"{town}科协秘书长")],
            )
    for town, villages in VILLAGES.items():
        district = _district_of(town)
        for village in villages:
            secretary = "党委书记" if village.endswith("社区") else "党支部书记"
            add(
                OrgSpec(
                    f"{village}科协",
                    OrgKind.VILLAGE,
                    parent=f"{town}科协",
                    address=f"{CITY}{district}{town}{village}{'居委会' if village.endswith('社区') else '村委会'}",
                ),
                [(OfficerPost.CHAIR, f"{village}{secretary}")],
            )

    for index, (society, host) in enumerate(SOCIETIES):
        name = f"{CITY}{society}"
        chair_job, secretary_job = OFFICER_JOBS[units[host].sector]
        posts = (
            []
            if index % 3 == 2
            else [
                (OfficerPost.CHAIR, f"{host}{chair_job}"),
                (OfficerPost.SECRETARY_GENERAL, f"{host}{secretary_job}"),
            ]
        )
        if index % 7 == 0 and posts:
            posts.append((OfficerPost.DEPUTY_SECRETARY_GENERAL, f"{host}{secretary_job}"))
        add(
            OrgSpec(name, OrgKind.SOCIETY, address=f"{_address(_rng('addr', name), '')}（挂靠{host}）"), posts
        )

    own = [u for u in all_units() if u.kind is not None]
    for index, unit in enumerate(own):
        name = f"{unit.name}科协"
        chair_job, secretary_job = OFFICER_JOBS[unit.sector]
        posts = [(OfficerPost.CHAIR, f"{unit.name}{chair_job}")]
        if unit.kind != OrgKind.ENTERPRISE or index % 2 == 0:  # half the enterprises name no 秘书长
            posts.append((OfficerPost.SECRETARY_GENERAL, f"{unit.name}{secretary_job}"))
        notes = "市科协兼职副主席单位。" if unit.kind == OrgKind.VICE_CHAIR_UNIT else ""
        add(OrgSpec(name, unit.kind, address=_address(_rng("addr", name), ""), notes=notes), posts)
    for park, _companies in PARKS:
        name = f"{park}科协"
        add(
            OrgSpec(
                name,
                OrgKind.ENTERPRISE,
                address=_address(_rng("addr", name), ""),
                notes="园区科协，服务园区内科技型企业。",
            ),
            [
                (OfficerPost.CHAIR, f"{park}管委会副主任"),
                (OfficerPost.SECRETARY_GENERAL, f"{park}管委会科技局局长"),
            ],
        )
    for name, county in AGRI_TECH:
        add(
            OrgSpec(
                name, OrgKind.AGRI_TECH, county=f"{county}科协", address=_address(_rng("addr", name), county)
            ),
            [(OfficerPost.CHAIR, f"{name}理事长")],
        )
    return orgs, officers


@dataclass(frozen=True)
class Slot:
    """A place of work for a frontline scientist."""

    employer: str
    organization: str
    profile: str
    head: bool
    specialty: str = ""


def frontline_slots() -> tuple[list[Slot], list[Slot]]:
    """Head and staff positions in the grassroots units of every county (县 → 乡镇 → 村)."""
    heads: list[Slot] = []
    staff: list[Slot] = []

    def unit(
        employer: str, organization: str, profile: str, specialty: str = "", staff_count: int = 2
    ) -> None:
        if FRONTLINE_PROFILES[profile]["head"]:
            heads.append(Slot(employer, organization, profile, True, specialty))
        staff.extend(Slot(employer, organization, profile, False, specialty) for _ in range(staff_count))

    agri_tech_by_county = {county: name for name, county in AGRI_TECH}
    for district, rural in DISTRICTS:
        org = f"{district}科协"
        unit(f"{district}人民医院", org, "county_hospital")
        unit(f"{district}第一高级中学" if rural else f"{district}实验学校", org, "school")
        if rural:
            unit(f"{district}农业技术推广中心", org, "agri_station")
            company, specialty = AGRI_COMPANIES[district]
            unit(f"{district}{company}", agri_tech_by_county.get(district, org), "agri_company", specialty, 1)
        else:
            company, specialty = TECH_COMPANIES[district]
            unit(company, org, "tech_company", specialty, 1)
        for town in TOWNSHIPS.get(district, []):
            town_org = f"{town}科协"
            if town.endswith("街道"):
                unit(f"{district}{town}社区卫生服务中心", town_org, "county_hospital", staff_count=1)
                unit(f"{district}{town.removesuffix('街道')}小学", town_org, "school", staff_count=1)
            else:
                unit(f"{district}{town}卫生院", town_org, "county_hospital", staff_count=1)
                unit(f"{district}{town}中心小学", town_org, "school", staff_count=1)
                unit(f"{district}{town}农业综合服务站", town_org, "agri_station")
            for village in VILLAGES.get(town, []):
                clinic = "卫生服务站" if village.endswith("社区") else "卫生室"
                unit(f"{district}{town}{village}{clinic}", f"{village}科协", "village_clinic", staff_count=1)
    return heads, staff


# Posts held by one person per employer (院长, 所长, 内科主任…); deputies ("副…") may be several.
EXCLUSIVE_SUFFIXES = (
    "院长",
    "所长",
    "局长",
    "主任",
    "总工程师",
    "总经理",
    "馆长",
    "校长",
    "站长",
    "理事长",
    "董事长",
    "首席科学家",
)


def _is_exclusive(post: str) -> bool:
    return post.endswith(EXCLUSIVE_SUFFIXES) and "副" not in post


def _pick_weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _birth_date(rng: random.Random, years: tuple[int, int], month: int) -> datetime.date:
    year = rng.randint(*years)
    return datetime.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def build_scientists(units: dict[str, Unit] | None = None) -> list[dict[str, Any]]:
    """About 300 scientists over every talent category, in a fixed order."""
    units = units or {u.name: u for u in all_units()}
    by_sector: dict[str, list[Unit]] = {}
    for unit in units.values():
        by_sector.setdefault(unit.sector, []).append(unit)
    org_of = {u.name: u.organization or f"{u.name}科协" for u in units.values()}

    rng = random.Random(f"{SEED}:scientists")
    taken: set[tuple[str, str]] = set()
    posts_taken: set[tuple[str, str]] = set()
    rows: list[dict[str, Any]] = []

    def add(
        category: str,
        employer: str,
        organization: str | None,
        post: str,
        title: str,
        discipline: str,
        years: tuple[int, int],
        *,
        four_heads: str = "",
        notes: str = "",
        female_share: float = 0.3,
        fallback_post: str = "",
    ) -> None:
        if _is_exclusive(post) and (employer, post) in posts_taken:  # one 院长 per hospital
            post = fallback_post
        posts_taken.add((employer, post))
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        name = person_name(rng, gender)
        while (name, employer) in taken:
            name = person_name(rng, gender)
        taken.add((name, employer))
        month = len(rows) % 12 + 1  # every month has birthdays, whatever the current month
        full_pinyin = pinyin_keys(name, person=True)[0]
        email = ""
        if rng.random() < 0.6:
            email = (
                f"{full_pinyin}{rng.randint(1, 99) if rng.random() < 0.4 else ''}@{rng.choice(EMAIL_DOMAINS)}"
            )
        rows.append(
            {
                "name": name,
                "employer": employer,
                "organization": organization,
                "gender": gender,
                "birth_date": _birth_date(rng, years, month) if rng.random() < 0.97 else None,
                "post": post,
                "title": title,
                "discipline": discipline,
                "category": category,
                "four_heads": four_heads,
                "mobile": demo_mobile(f"scientist:{name}:{employer}") if rng.random() < 0.92 else "",
                "email": email,
                "notes": notes,
            }
        )

    def expert(category: str, unit: Unit, seniority: str, years: tuple[int, int], notes: str = "") -> None:
        sub, discipline = rng.choice(unit.fields)
        post, title = rng.choice(SECTOR_PROFILES[unit.sector][seniority])
        if not notes and rng.random() < 0.12:
            notes = rng.choice(NOTES["young" if category == TalentCategory.YOUNG else "expert"])
        female_share = 0.45 if category == TalentCategory.YOUNG else 0.3
        add(
            category,
            unit.name,
            org_of[unit.name],
            post.format(sub=sub),
            title,
            discipline,
            years,
            notes=notes,
            fallback_post=f"{sub}{title}",
            female_share=female_share,
        )

    for unit_name, honour in ACADEMICIANS:
        expert(
            TalentCategory.ACADEMICIAN,
            units[unit_name],
            "top",
            (1938, 1962),
            f"{honour}；重大节日、生日重点走访慰问。",
        )

    for category, count in CATEGORY_COUNTS:
        if category not in CATEGORY_PROFILES:
            continue
        sectors, seniorities, years = CATEGORY_PROFILES[category]
        for _ in range(count):
            sector = _pick_weighted(rng, sectors)
            expert(category, rng.choice(by_sector[sector]), _pick_weighted(rng, seniorities), years)

    # Grassroots: heads of county, township and village units (the "四长" of seed 004) and their staff,
    # plus skilled workers on the shop floor of the enterprises.
    frontline_total = dict(CATEGORY_COUNTS)[TalentCategory.FRONTLINE]
    heads, staff = frontline_slots()
    rng.shuffle(heads)
    rng.shuffle(staff)
    workers = 10
    head_count = 32
    chosen = heads[:head_count] + staff[: frontline_total - head_count - workers]
    for slot in chosen:
        profile = FRONTLINE_PROFILES[slot.profile]
        post, title, discipline = rng.choice(profile["head"] if slot.head else profile["staff"])
        if post == "乡村医生" and slot.employer.endswith("服务站"):
            post = "社区全科医生"
        elif post in ("院长", "站长") and slot.employer.endswith("中心"):
            post = "主任"  # 社区卫生服务中心主任, 农业技术推广中心主任
        elif post in ("理事长", "董事长"):
            post = "理事长" if slot.employer.endswith("合作社") else "董事长"
        notes = rng.choice(NOTES["frontline"]) if rng.random() < 0.12 else ""
        add(
            TalentCategory.FRONTLINE,
            slot.employer,
            slot.organization,
            post,
            title,
            discipline.format(field=slot.specialty),
            (1965, 1996),
            four_heads=profile["four_heads"] if slot.head else "",
            notes=notes,
            female_share=0.4,
            fallback_post=profile["staff"][0][0],
        )
    for _ in range(workers):
        unit = rng.choice(ENTERPRISES)
        post, title = rng.choice(SECTOR_PROFILES["enterprise"]["frontline"])
        add(
            TalentCategory.FRONTLINE,
            unit.name,
            org_of[unit.name],
            post,
            title,
            rng.choice(unit.fields)[1],
            (1970, 1995),
            fallback_post="首席技师",
        )

    # Others: science-museum staff and retired professors who still help.
    other_total = dict(CATEGORY_COUNTS)[TalentCategory.OTHER]
    for i in range(other_total):
        if i % 2 == 0:
            unit = OTHER_UNITS[i // 2 % len(OTHER_UNITS)]
            sub, discipline = rng.choice(unit.fields)
            post, title = rng.choice(SECTOR_PROFILES["museum"]["mid"])
            add(
                TalentCategory.OTHER,
                unit.name,
                org_of[unit.name],
                post.format(sub=sub),
                title,
                discipline,
                (1965, 1992),
                fallback_post=f"{sub}科普辅导员",
            )
        else:
            unit = rng.choice(UNIVERSITIES[:8])
            sub, discipline = rng.choice(unit.fields)
            add(
                TalentCategory.OTHER,
                unit.name,
                org_of[unit.name],
                f"{sub}退休教授",
                "教授",
                discipline,
                (1945, 1958),
                notes="已退休，仍担任学会顾问，热心科普讲座。",
            )
    return rows


def four_heads_officers(scientists: list[dict[str, Any]], org_kinds: dict[str, str]) -> list[OfficerSpec]:
    """The "四长" hold posts in county and township associations (seed 004): 兼职副主席, part-time in a county,
    seconded (挂职) in a township."""
    result = []
    seen: set[tuple[str, str]] = set()
    for row in scientists:
        org = row["organization"]
        if row["four_heads"] and org_kinds.get(org) in (OrgKind.DISTRICT, OrgKind.TOWNSHIP):
            if (org, row["name"]) in seen:  # a namesake at another unit: one officer row is enough
                continue
            seen.add((org, row["name"]))
            job = f"{row['employer']}{row['post']}"
            tenure = Tenure.SECONDED if org_kinds[org] == OrgKind.TOWNSHIP else Tenure.CONCURRENT
            result.append(
                OfficerSpec(
                    org,
                    OfficerPost.PARTTIME_VICE_CHAIR,
                    row["name"],
                    job,
                    row["mobile"],
                    10,
                    tenure,
                    row["four_heads"],
                )
            )
    return result


def build_demo_data() -> DemoData:
    """Every row of the demo, as plain data; no database access."""
    units = {u.name: u for u in all_units()}
    orgs, officers = build_organizations()
    scientists = build_scientists(units)
    officers += four_heads_officers(scientists, {o.name: o.kind for o in orgs})
    departments = [
        (name, liaison, order) for order, (name, liaison, _members) in enumerate(DEPARTMENTS, start=1)
    ]
    return DemoData(departments, build_staff(), orgs, officers, scientists)


# --------------------------------------------------------------------------------------------------------
# Writing to the database
# --------------------------------------------------------------------------------------------------------

COUNT_LABELS = {
    "departments": "部室",
    "users": "登录账号",
    "staff": "干部",
    "organizations": "基层组织",
    "officers": "组织负责人",
    "scientists": "科技工作者",
    "grassroots_accounts": "基层账号",
    "filings": "联系分工备案",
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0


def _upsert(model: type[models.Model], existing: dict, key: tuple, values: dict[str, Any], tally: Tally):
    """Create the row if its key is new; otherwise save it only if a value differs."""
    obj = existing.get(key)
    if obj is None:
        obj = model(**values)
        obj.save()
        existing[key] = obj
        tally.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        tally.updated += 1
    return obj


def seed_departments(data: DemoData, tally: Tally) -> dict[str, Department]:
    """Departments with their order and the 组织联络部 flag, which the workbook's 干部 sheet does not carry."""
    existing = {
        (d.name,): d for d in Department.objects.filter(name__in=[n for n, _l, _o in data.departments])
    }
    for name, liaison, order in data.departments:
        _upsert(
            Department, existing, (name,), {"name": name, "is_liaison_office": liaison, "order": order}, tally
        )
    return {key[0]: dept for key, dept in existing.items()}


def seed_logins(tally: Tally) -> None:
    """The admin account, the three administrators (三员分立), and the demo password on the demo logins (set on
    every run, so it always works).

    Every other account comes from the workbook's 干部 sheet and cannot log in (no usable password).
    """
    user_model = get_user_model()
    admin = user_model.objects.filter(username=ADMIN_USERNAME).first()
    flags = {"is_active": True, "is_staff": True, "is_superuser": True}
    if admin is None:
        admin = user_model(username=ADMIN_USERNAME, **flags)
        tally.created += 1
    elif any(getattr(admin, k) != v for k, v in flags.items()):
        for k, v in flags.items():
            setattr(admin, k, v)
        tally.updated += 1
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    for role in ADMINISTRATORS:
        user, created = user_model.objects.get_or_create(
            username=DEMO_LOGINS[role], defaults={"is_staff": True}
        )
        tally.created += created
        user.groups.set([Group.objects.get(name=ROLE_LABELS[role])])  # the groups of migration liaison 0015
    for user in user_model.objects.filter(
        username__in=[u for u in DEMO_LOGINS.values() if u != ADMIN_USERNAME]
    ):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])


def seed_officers(data: DemoData, tally: Tally) -> None:
    """Officers of the organisations (the 备案 of seed 000 §五.3): not part of the workbook format."""
    orgs = {
        o.name: o for o in Organization.objects.filter(name__in={spec.organization for spec in data.officers})
    }
    ids = [org.pk for org in orgs.values()]
    existing = {
        (o.organization_id, o.post, o.name): o for o in Officer.objects.filter(organization_id__in=ids)
    }
    for spec in data.officers:
        org_id = orgs[spec.organization].pk
        values = {
            "organization_id": org_id,
            "post": spec.post,
            "name": spec.name,
            "job": spec.job,
            "phone": spec.phone,
            "order": spec.order,
            "tenure": spec.tenure,
            "four_heads": spec.four_heads,
        }
        _upsert(Officer, existing, (org_id, spec.post, spec.name), values, tally)


def write(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def demo_result(
    *,
    data: DemoData,
    tallies: dict[str, Tally],
    plan: dict[str, int],
    plan_year: int,
    started: float,
    grassroots_logins: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """What seed_demo returns: "created", "updated" and "totals" (dicts keyed as COUNT_LABELS), "org_kinds" and
    "categories" (totals by kind and by talent category, as (label, count) lists), "logins" (the demo
    accounts: role, role label, username, password, name), "grassroots_logins" (the 基层账号: username,
    password, organisation, holder), "plan" and "seconds"."""
    staff_by_username = {s.username: s for s in data.staff}
    logins = []
    for role, username in DEMO_LOGINS.items():
        spec = staff_by_username.get(username)
        if spec is None and role not in (Role.ADMIN, *ADMINISTRATORS):
            raise ValueError(f"DEMO_LOGINS 中的用户名 {username} 不在演示干部名单中。")
        logins.append(
            {
                "role": role,
                "label": ROLE_LABELS[role],
                "username": username,
                "password": DEMO_PASSWORD,
                "name": _display_name(spec) if spec else f"（{ROLE_LABELS[role]}，无干部记录）",
            }
        )
    kind_counts = dict(Organization.objects.values_list("kind").annotate(n=models.Count("id")).order_by())
    category_counts = dict(
        Scientist.objects.values_list("category").annotate(n=models.Count("id")).order_by()
    )
    return {
        "created": {k: t.created for k, t in tallies.items()},
        "updated": {k: t.updated for k, t in tallies.items()},
        "totals": {
            "departments": Department.objects.count(),
            "users": get_user_model().objects.count(),
            "staff": Staff.objects.count(),
            "organizations": Organization.objects.count(),
            "officers": Officer.objects.count(),
            "scientists": Scientist.objects.count(),
            "grassroots_accounts": GrassrootsAccount.objects.count(),
            "filings": Filing.objects.count(),
        },
        "org_kinds": [(kind.label, kind_counts.get(kind.value, 0)) for kind in OrgKind],
        "categories": [(cat.label, category_counts.get(cat.value, 0)) for cat in TalentCategory],
        "logins": logins,
        "grassroots_logins": grassroots_logins or [],
        "plan": {
            "year": plan_year,
            "created": plan,
            "teams": Team.objects.filter(year__year=plan_year).count(),
            "assignments": Assignment.objects.filter(team__year__year=plan_year).count(),
        },
        "seconds": round(time.monotonic() - started, 2),
    }


def progress(key: str, tallies: dict[str, Tally]) -> str:
    tally = tallies[key]
    return f"{COUNT_LABELS[key]}：新建 {tally.created}，更新 {tally.updated}"


def _display_name(spec: StaffSpec) -> str:
    if spec.department is None:
        return f"{spec.name}（{spec.title}）"
    return f"{spec.name}（{spec.department}{spec.title}）"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def format_summary(result: dict[str, Any]) -> str:
    """The Chinese summary the command prints: what exists now and the demo logins."""
    created = sum(result["created"].values())
    updated = sum(result["updated"].values())
    lines = [
        "",
        f"{ASSOCIATION}演示数据已就绪：本次新建 {created} 条，更新 {updated} 条，用时 {result['seconds']} 秒。",
        "",
        "现有数据：",
    ]
    details = {
        "organizations": "，".join(f"{label} {n}" for label, n in result["org_kinds"] if n),
        "scientists": "，".join(f"{label} {n}" for label, n in result["categories"] if n),
    }
    rows = []
    for key, label in COUNT_LABELS.items():
        extra = f"（{details[key]}）" if key in details else ""
        rows.append([f"  {label}", f"{result['totals'][key]:>4}", extra])
    lines += _table(rows)
    plan = result["plan"]
    lines += [f"  {plan['year']} 年度专班 {plan['teams']} 个，联系对象 {plan['assignments']} 条（含已终止）"]
    lines += ["", f"演示账号（密码均为 {DEMO_PASSWORD}）："]
    table = [["角色", "用户名", "密码", "姓名"]]
    table += [
        [login["label"], login["username"], login["password"], login["name"]] for login in result["logins"]
    ]
    table += [  # 基层账号: they see their own organisation only and file its division of liaison (备案)
        [
            GRASSROOTS_LABEL,
            login["username"],
            login["password"],
            f"{login['holder']}（{login['organization']}）",
        ]
        for login in result.get("grassroots_logins", [])
    ]
    lines += _table(table)
    return "\n".join(lines)
