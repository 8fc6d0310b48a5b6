"""Building real .xlsx files for the import and export tests (openpyxl, as a spreadsheet user's file)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook


def xlsx(sheets: dict[str, list[list]], *, formulas: bool = False) -> bytes:
    """{"组织": [header, row, row…], …} → the bytes of an .xlsx file.

    Text beginning with "=" is stored as text, as when someone types '=… in Excel; with formulas=True it
    becomes a live formula (which openpyxl saves without a computed value)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
            if not formulas:
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows as values, header included."""
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.values) for sheet in workbook.worksheets}


ORG_HEADER = ["名称", "类别", "上级组织", "所在区县", "地址", "联系人", "联系电话", "备注"]
SCIENTIST_HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "工作单位",
    "所属组织",
    "职务",
    "职称",
    "学科领域",
    "人才类别",
    "手机",
    "邮箱",
    "备注",
]
STAFF_HEADER = ["姓名", "用户名", "部室", "职务", "角色", "手机"]
TEAM_HEADER = ["年度", "专班名称", "类型", "负责人", "成员"]
ASSIGNMENT_HEADER = ["年度", "专班名称", "对象类型", "对象名称", "工作单位", "联系类别"]
RECORD_HEADER = [
    "日期",
    "专班名称",
    "联系方式",
    "联系形式",
    "联系对象",
    "参加人员",
    "下基层",
    "联系内容",
    "情况摘要",
    "反映问题",
]


def full_workbook() -> dict[str, list[list]]:
    """A small office workbook touching every sheet, with references across sheets (and within 组织, a child
    before its parent), written the way people write: short labels, full-width brackets, text dates."""
    return {
        "组织": [
            ORG_HEADER,
            [
                "红旗镇科协",
                "乡镇（街道）科协",
                "清源县科协",
                "",
                "清源县红旗镇政府",
                "李四",
                "024-23456789",
                "",
            ],
            ["清源县科协", "区县科协", "", "", "清源县人民路1号", "张三", "13812345678", ""],
            ["辽川市机械工程学会", "市级学会", "", "", "", "", "", "挂靠辽川理工大学"],
            ["清源县食用菌技术协会", "农技协", "", "清源县", "", "", "", ""],
        ],
        "科技工作者": [
            SCIENTIST_HEADER,
            [
                "王伟",
                "男",
                "1970/3/5",
                "辽川大学",
                "",
                "教授",
                "教授",
                "物理学",
                "知名专家",
                "139 1234 5678",
                "",
                "",
            ],
            [
                "王伟",
                "男",
                "1985年6月1日",
                "清源县人民医院",
                "清源县科协",
                "医生",
                "主治医师",
                "全科医学",
                "基层一线科技工作者",
                "",
                "",
                "",
            ],
            [
                "李娜",
                "女",
                "",
                "辽川理工大学",
                "辽川市机械工程学会",
                "院长",
                "教授",
                "机械工程",
                "院士",
                "",
                "lina@example.com",
                "",
            ],
        ],
        "干部": [
            STAFF_HEADER,
            ["王主席", "wangzhuxi", "", "副主席", "领导班子成员", ""],
            ["刘部长", "liubuzhang", "科普部", "部长", "部室负责人", "13900001111"],
            ["赵干事", "zhaoganshi", "科普部", "一级科员", "工作人员", ""],
        ],
        "专班": [
            TEAM_HEADER,
            [2026, "王主席专班", "领导专班", "wangzhuxi", "liubuzhang、zhaoganshi"],
            ["2026", "刘部长专班", "部室专班", "liubuzhang", "zhaoganshi"],
        ],
        "联系对象": [
            ASSIGNMENT_HEADER,
            [2026, "王主席专班", "组织", "清源县科协", "", ""],
            [2026, "王主席专班", "科技工作者", "王伟", "辽川大学", ""],
            [2026, "王主席专班", "科技工作者", "李娜", "", "知名专家/高层次人才"],
            [2026, "刘部长专班", "组织", "辽川市机械工程学会", "", "市级学会(协会、研究会)"],
        ],
        "联系记录": [
            RECORD_HEADER,
            [
                "2026-03-05",
                "王主席专班",
                "调查了解",
                "登门拜访",
                "清源县科协，王伟(辽川大学)",
                "wangzhuxi,zhaoganshi",
                "是",
                "了解困难、宣传政策",
                "走访县科协，了解基层科普阵地建设情况。",
                "希望支持建设科普馆",
            ],
            [
                "2026/4/1",
                "刘部长专班",
                "开展座谈",
                "会议",
                "辽川市机械工程学会",
                "liubuzhang",
                "",
                "建言献策",
                "座谈会。",
                "",
            ],
        ],
    }
