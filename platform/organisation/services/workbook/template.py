"""organisation_template: the blank workbook a county fills in -- a sheet per kind of unit with an example
row, dropdowns for the words a cell accepts, and an instructions sheet."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx_import import EXAMPLE_MARK
from tenants.selectors import current_county

from .columns import KIND_WORDS, SHEETS, STATUS_WORDS, TOWNSHIPS, UNITS, VENUES, VILLAGES, Sheet

LAST_ROW = 2000  # how far down the dropdowns and text formats reach
# a list of words, or a formula naming the cells that hold them
Dropdown = str | dict[str, Any]
TEXT_COLUMNS = {"division_code", "contact_phone"}  # text, so Excel keeps every digit


def organisation_template() -> bytes:
    county_code = current_county().division_code
    township_code, village_code = f"{county_code}100", f"{county_code}100201"
    examples = {
        TOWNSHIPS.key: [township_code, _("某某镇") + EXAMPLE_MARK, _("镇"), "2019-01-01"],
        VILLAGES.key: [village_code, _("某某村") + EXAMPLE_MARK, _("村"), _("某某镇")],
        VENUES.key: [_("某某村代表联络站") + EXAMPLE_MARK, _("村（社区）联络站"), _("某某镇"), _("某某村"),
                     _("某某镇某某村村委会二楼"), _("每月第一个星期一 9:00-12:00"), _("王某某"), "0718-8000000",
                     _("已建成运行")],
        UNITS.key: [_("县住房和城乡建设局") + EXAMPLE_MARK, _("政府部门"), _("李某某"), "0718-8000001", _("是")],
    }
    dropdowns: dict[str, dict[str, Dropdown]] = {
        TOWNSHIPS.key: {"kind": KIND_WORDS[TOWNSHIPS.key]},
        VILLAGES.key: {"kind": KIND_WORDS[VILLAGES.key], "township": _list_of(TOWNSHIPS)},
        VENUES.key: {"kind": KIND_WORDS[VENUES.key], "status": STATUS_WORDS, "township": _list_of(TOWNSHIPS)},
        UNITS.key: {"kind": KIND_WORDS[UNITS.key], "is_active": {_("是"): True, _("否"): False}},
    }
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        _data_sheet(workbook, sheet, examples[sheet.key], dropdowns[sheet.key])
    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 100
    for line in _instructions(county_code):
        notes.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _list_of(sheet: Sheet) -> str:
    """A dropdown of the names typed into another sheet's 名称 column."""
    letter = get_column_letter([key for key, _h in sheet.columns].index("name") + 1)
    return f"'{sheet.title}'!${letter}$2:${letter}${LAST_ROW}"


def _data_sheet(workbook: Workbook, sheet: Sheet, example: list, dropdowns: dict[str, Dropdown]) -> None:
    ws = workbook.create_sheet(str(sheet.title))
    ws.append(sheet.headers)
    ws.append(example)
    for index, (key, header) in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, min(len(str(header)) * 2 + 8, 34))
        required = key in sheet.required
        ws.cell(row=1, column=index).font = Font(bold=True, color="FFFFFF" if required else "000000")
        ws.cell(row=1, column=index).fill = PatternFill("solid", fgColor="B71C1C" if required else "EEEEEE")
        ws.cell(row=2, column=index).font = Font(italic=True, color="888888")
        if key in TEXT_COLUMNS:
            for row in range(2, LAST_ROW + 1):
                ws.cell(row=row, column=index).number_format = "@"
        choices = dropdowns.get(key)
        if choices is not None:
            formula = choices if isinstance(choices, str) else '"' + ",".join(choices) + '"'
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = _("请从下拉列表中选择。")
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _instructions(county_code: str) -> list[list[str]]:
    return [
        [_("项目"), _("填写要求")],
        [_("四张表"), _("“乡镇（街道）”“村（社区）”“代表之家和联络站”“承办单位”四张表可以只填其中几张，"
                     "不用的表留空即可。"
                     "每张表第2行是示例（名称以“（示例）”结尾的行不会导入），可删除。红色表头为必填列。")],
        [_("乡镇区划代码"), _("9位统计用区划代码，须以本县（市、区）区划代码%(code)s开头；"
                        "也可填写12位代码（末三位为000）。") % {"code": county_code}],
        [_("村（社区）区划代码"), _("12位统计用区划代码，须以所属乡镇的9位代码开头。")],
        [_("所属乡镇"), _("填写乡镇名称或区划代码：可以是本县已有的乡镇，也可以是同一文件“乡镇（街道）”表中的乡镇。")],
        [_("所在村（社区）"), _("村（社区）联络站必填：填写村（社区）名称（同时填写所属乡镇），或12位区划代码。")],
        [_("站点类型"), _("代表之家、中心联络站须填写所属乡镇；县级代表联络站不填所属乡镇；"
                      "村（社区）联络站所在村须属于所填乡镇（不填所属乡镇时取所在村的乡镇）。")],
        [_("类型、状态"), _("从下拉列表中选择。承办单位“是否有效”填“是”或“否”。")],
        [_("再次导入"), _("乡镇、村（社区）按区划代码，站点、承办单位按名称找到已有记录并更新，不会重复登记；"
                      "空白单元格保留原有内容（站点的所属乡镇和所在村按本行填写）。导入不会删除或撤销任何单位："
                      "乡镇、村的合并、拆分和更名请在“区划调整”中办理。")],
        [_("导出"), _("“组织架构导入”页面可导出本县现有的组织架构，列与本模板相同，修改后可再次导入。")],
        [_("校验"), _("导入前逐行校验，任何一行有错误时整个文件都不导入，请按提示修改后重新上传。")],
    ]
