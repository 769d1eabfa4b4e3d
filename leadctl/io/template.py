"""The empty capture form (`leadctl template`): an Excel workbook a rep fills in and imports.

Sheet 1 线索登记 holds the headers of SPEC §3 with drop-downs and text/date columns; sheet 2
填写说明 explains each column and the grading standard, in leadctl's own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from leadctl.io.form import CAPTURE_COLUMNS
from leadctl.io.reading import FORM_SHEET

if TYPE_CHECKING:
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

GUIDE_SHEET = "填写说明"
SOURCES_SHEET = "线索来源"  # hidden: the team's sources, which the 线索来源 drop-down lists
FORM_ROWS = 5000  # rows that carry the drop-downs and input hints

COLUMN_NOTES: dict[str, str] = {
    "customer": "企业客户写营业执照上的全称，个人客户写真实姓名。同一客户只登记一次"
    "（比较名称时不区分大小写和空格）。",
    "customer_type": "下拉选择“企业”或“个人”；留空按企业处理。",
    "contact": "对接人的姓名或称呼，例如“李经理”。",
    "phone": "至少一个能打通的电话：手机写 11 位，座机带区号（如 010-62345678）。"
    "多个号码用 ; 或 / 隔开。只留邮箱不算有效线索。",
    "email": "可选，例如 name@example.com。",
    "wechat": "可选，客户的微信号。",
    "source": "线索从哪里来，例如 官网注册、行业展会、老客户转介绍、短视频平台推广。"
    "统一写法，方便按渠道统计转化。",
    "need": "客户自己提出的需求，尽量记下原话，例如“想换一套能管销售过程的 CRM”。",
    "acquired_on": "拿到线索的那一天，例如 2024-10-05 或 10月5日（不写年份时取今天或之前最近的"
    "那一天）；不能晚于今天。留空按导入当天。",
    "owner": "负责跟进这条线索的销售；留空则归导入文件的人。",
    "grade": "下拉选择 A / B / C / D。还没沟通过可以先留空，第一次沟通后再定级。",
    "grade_reason": "填了等级就必须写理由，写清判断依据，"
    "例如“预算约 30 万，本月内拍板，已见到采购总监”。",
    "note": "可选，其他值得记下的情况，例如“展会上交换过名片，下周三以后再联系”。"
    "导入后作为这条线索的第一条备注，leadctl show 里可以看到。",
}

GRADES: tuple[tuple[str, str, str], ...] = (
    (
        "A 高意向",
        "需求清楚，预算已有着落，一个月内会做决定，而且已经联系上拍板的人。",
        "每天联系一次；定为 A 级后 3 天内要把方案讲给客户。",
    ),
    (
        "B 中意向",
        "需求清楚，但预算还没确认，或者要几个部门一起审批，预计 1–3 个月内决定。",
        "每 2 天联系一次，最迟不超过第 3 天；每周发一次行业案例或产品动态。",
    ),
    (
        "C 低意向",
        "只是初步了解，需求或预算还模糊，没有明确的采购时间。",
        "每周轻轻联系一次（分享资讯、节日问候），不要打扰过多。",
    ),
    (
        "D 暂缓",
        "眼下没有需求、已经明确拒绝，或者要的东西超出我们的业务范围。",
        "每月尝试一次；连续 3 次没有回应就转为沉睡线索，休息 90 天后再唤醒。",
    ),
)

# Chinese punctuation throughout (，；：（）); half-width only inside what is typed as it is
# (commands, dates, phone separators, the characters a formula starts with)
NOTES: tuple[str, ...] = (
    "第一行是列名，请不要改动；列的先后顺序可以调整，也可以使用英文列名（customer、phone …）。",
    "导入前可以先检查：leadctl import 文件名 --dry-run。只要有一行不合格，整份文件都不会导入，"
    "并列出行号、列名和原因；加 --skip-invalid 则只导入合格的行。",
    "重复线索会被拒绝：客户名称或电话与系统里还没关闭的线索相同，或与本文件中的其他行相同。"
    "确实需要重复登记时加 --allow-duplicate。",
    "每条线索的分级由销售主管每周复核，需要时会调整。",
    "跟进日期按工作日历计算（默认 cn：国家法定节假日和调休上班日，周末休息）：落在休息日的"
    "跟进日和截止日顺延到下一个工作日。公司自己的休息日和上班日写在配置文件的 [calendar] "
    "holidays / workdays 里。",
    "以 = + - @ 开头的内容导出后仍是文字，不会被表格软件当成公式执行：Excel 文件里这样的"
    "单元格标为文本（看不到单引号），CSV 文件里则在前面加一个单引号 '；导入时会自动去掉这个单引号。",
    "文件可以保存为 Excel 工作簿（.xlsx），也可以保存为 CSV（UTF-8 或 GBK 编码都可以）。",
)


def write_template(handle: IO[bytes], sources: Sequence[str] = ()) -> None:
    """The form; with the team's list of sources (config [sources]), its 线索来源 column gets a
    drop-down of them (a warning, not a refusal, for another value: import then refuses it
    unless --new-source)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    form = workbook.active
    assert form is not None
    form.title = FORM_SHEET
    required_fill = PatternFill("solid", fgColor="F8CBAD")
    optional_fill = PatternFill("solid", fgColor="DDEBF7")
    bold = Font(bold=True)
    for position, column in enumerate(CAPTURE_COLUMNS, start=1):
        letter = get_column_letter(position)
        cell = form.cell(row=1, column=position, value=column.header)
        cell.font = bold
        cell.fill = required_fill if column.required else optional_fill
        cell.alignment = Alignment(horizontal="center")
        mark = "必填" if column.required else "选填"
        cell.comment = Comment(f"{column.key}（{mark}）：{COLUMN_NOTES[column.key]}", "leadctl")
        dimension = form.column_dimensions[letter]
        dimension.width = column.width
        if column.key == "acquired_on":
            dimension.number_format = "yyyy-mm-dd"
        else:  # text, so a phone keeps its digits and nothing turns into a number or a date
            dimension.number_format = "@"
        cells = f"{letter}2:{letter}{FORM_ROWS + 1}"
        if column.key == "customer_type":
            choice = DataValidation(type="list", formula1='"企业,个人"', allow_blank=True)
        elif column.key == "grade":
            choice = DataValidation(type="list", formula1='"A,B,C,D"', allow_blank=True)
        elif column.key == "source" and sources:
            choice = _source_choice(sources)
        elif column.key in ("phone", "acquired_on", "grade_reason"):
            choice = DataValidation(allow_blank=True)  # an input hint only
        else:
            continue
        choice.promptTitle = column.header
        choice.prompt = COLUMN_NOTES[column.key][:255]
        choice.showInputMessage = True
        if choice.type == "list":
            choice.errorTitle = column.header
            choice.error = choice.error or "请从下拉列表中选择。"
            choice.showErrorMessage = True
        form.add_data_validation(choice)
        choice.add(cells)
    form.freeze_panes = "A2"
    _write_guide(workbook.create_sheet(GUIDE_SHEET))
    if sources:
        _write_sources(workbook, sources)
    workbook.save(handle)


def _source_choice(sources: Sequence[str]) -> DataValidation:
    """A drop-down of the team's sources, read from a hidden sheet (`_write_sources`): a list
    written into the rule itself may hold only 255 characters, and a name could hold a comma."""
    from openpyxl.worksheet.datavalidation import DataValidation

    choice = DataValidation(
        type="list",
        formula1=f"'{SOURCES_SHEET}'!$A$1:$A${len(sources)}",
        allow_blank=True,
        errorStyle="warning",
    )
    choice.error = "不在团队的线索来源列表中。确实是新渠道就点“是”,导入时加 --new-source。"
    return choice


def _write_sources(workbook: Any, sources: Sequence[str]) -> None:
    sheet = workbook.create_sheet(SOURCES_SHEET)
    for name in sources:
        sheet.append([name])
    sheet.sheet_state = "hidden"


def _write_guide(sheet: Worksheet) -> None:
    from openpyxl.styles import Alignment, Font

    bold, title = Font(bold=True), Font(bold=True, size=13)
    wrap = Alignment(wrap_text=True, vertical="top")
    for letter, width in (("A", 14), ("B", 16), ("C", 8), ("D", 80)):
        sheet.column_dimensions[letter].width = width

    sheet.append(["线索登记表 填写说明"])
    sheet["A1"].font = title
    sheet.append([])
    sheet.append(["列名", "英文列名", "是否必填", "怎么填"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in CAPTURE_COLUMNS:
        sheet.append(
            [
                column.header,
                column.key,
                "必填" if column.required else "选填",
                COLUMN_NOTES[column.key],
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap

    sheet.append([])
    sheet.append(["线索分级标准"])
    sheet.cell(row=sheet.max_row, column=1).font = title
    sheet.append(["等级", "什么样的线索 / 怎么跟进"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for grade, meaning, cadence in GRADES:
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=grade).font = bold
        sheet.cell(row=row, column=2, value=f"{meaning}\n跟进：{cadence}").alignment = wrap
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = 36

    sheet.append([])
    sheet.append(["注意事项"])
    sheet.cell(row=sheet.max_row, column=1).font = title
    for number, note in enumerate(NOTES, start=1):
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=f"{number}.")
        sheet.cell(row=row, column=2, value=note).alignment = wrap
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = 32
