"""roster_template: the blank .xlsx a county fills in, with an example row, instructions and its places."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.levels import MandateStatus
from core.xlsx_import import EXAMPLE_MARK
from organisation.models import Township, Venue
from people.models import GroupMember

from .columns import COLUMNS, REQUIRED


def roster_template() -> bytes:
    """The roster template: headers and one example row, a sheet of instructions, and this county's
    townships and venues (the words the 所属乡镇 and 驻站站点 columns accept)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("代表名册")
    headers = [str(header) for _key, header in COLUMNS]
    sheet.append(headers)
    venue = Venue.objects.exclude(status=Venue.Status.CLOSED).select_related("township").order_by("pk").first()
    township = (venue.township if venue and venue.township else Township.objects.current().order_by("pk").first())
    sheet.append(["张三" + EXAMPLE_MARK, "13800000000", "42280119800101002X", "女", "土家族", "1980-01-01",
                  _("某某村党支部书记"), "县、乡", 17, _("第一选区"), 19, _("第三选区"),
                  township.name if township else _("某某镇"), venue.name if venue else _("某某村代表联络站"),
                  _("组长"), _("在任")])
    for index, (key, header) in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(len(str(header)) * 2 + 6, 30))
        sheet.cell(row=1, column=index).font = Font(bold=True, color="FFFFFF" if key in REQUIRED else "000000")
        sheet.cell(row=1, column=index).fill = PatternFill("solid", fgColor="B71C1C" if key in REQUIRED else "EEEEEE")
        if key in ("mobile", "id_number", "birth_date"):  # text, so Excel keeps every digit
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
        sheet.cell(row=2, column=index).font = Font(italic=True, color="888888")
    keys = [key for key, _header in COLUMNS]
    for key, words in (("gender", "男,女"), ("group_role", ",".join(str(v) for v in GroupMember.Role.labels)),
                       ("status", ",".join(str(v) for v in MandateStatus.labels))):
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}2000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    for line in _instructions():
        notes.append(line)
    places = workbook.create_sheet(_("乡镇与站点"))
    places.append([_("所属乡镇"), _("驻站站点"), _("站点状态")])
    for v in Venue.objects.select_related("township").order_by("township__division_code", "kind", "name"):
        places.append([v.township.name if v.township else _("（县级）"), v.name, str(v.get_status_display())])
    for column in ("A", "B", "C"):
        places.column_dimensions[column].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions() -> list[list[str]]:
    return [
        [_("列"), _("填写要求")],
        [_("姓名"), _("必填。第2行是示例（姓名以“（示例）”结尾的行不会导入），可删除。")],
        [_("手机号码"), _("必填，11位手机号码，作为代表的登录账号。")],
        [_("身份证号码"), _("18位，最后一位可以是X；请以文本格式填写。出生日期和性别可由身份证号码得出。")],
        [_("代表层级"), _("省、州（市）、县、乡中的一项或多项，用“、”或“，”分隔，如“县、乡”。"
                      "省、州（市）代表须已由上级人大登记覆盖本县的代表职务。")],
        [_("县级届次 / 乡级届次"), _("数字，如 17；代表层级含“县”时填县级届次，含“乡”时填乡级届次。")],
        [_("所属乡镇"), _("乡级代表所属的乡镇（见“乡镇与站点”表）；不填时取驻站站点所在乡镇。")],
        [_("驻站站点"), _("本县的站点名称（见“乡镇与站点”表）；已关闭的站点不能驻站。多个站点用“、”分隔。")],
        [_("小组职务"), _("组长、副组长、联络员或组员；每个站点的代表小组只能有一名组长。多个站点时按站点顺序填写。")],
        [_("状态"), _("在任、辞职、罢免或去世；新登记的职务不填即为在任。")],
        [_("再次导入"), _("按身份证号码（其次按手机号码）找到已有代表并更新，不会重复登记；空白单元格保留原有内容；"
                      "导入不会结束原有的驻站或职务。")],
        [_("校验"), _("导入前逐行校验，任何一行有错误时整个文件都不导入，请按提示修改后重新上传。")],
    ]
