"""The capture form's columns, how a file's headers name them, and formula neutralisation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from leadctl.errors import LeadctlError
from leadctl.i18n import _, _p


@dataclass(frozen=True)
class FormColumn:
    key: str  # English name: what import accepts and what the lead's field is called
    header: str  # Chinese name: what `template` and `export` write
    width: int  # in Excel character units
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers real sheets use for the same column


CAPTURE_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("customer", "客户名称", 30, True, ("客户", "客户全称", "customer name", "name")),
    FormColumn("customer_type", "客户类型", 10, False, ("类型", "type")),
    FormColumn("contact", "联系人", 12, False, ("联系人姓名", "contact person")),
    FormColumn("phone", "联系电话", 22, True, ("电话", "手机", "手机号", "phones")),
    FormColumn("email", "邮箱", 26, False, ("电子邮箱", "邮件", "e-mail")),
    FormColumn("wechat", "微信", 16, False, ("微信号", "wechat id")),
    FormColumn("source", "线索来源", 16, True, ("来源", "来源渠道", "渠道")),
    FormColumn("need", "初步需求", 40, True, ("需求", "需求描述", "初步需求描述")),
    FormColumn("acquired_on", "获取时间", 13, False, ("获取日期", "acquired", "acquired date")),
    FormColumn("owner", "负责人", 10, False, ("跟进人", "销售", "rep")),
    FormColumn("grade", "线索等级", 10, False, ("等级", "级别")),
    FormColumn("grade_reason", "分级依据", 40, False, ("分级理由", "reason")),
    # anything else worth knowing: the lead's first note (`show` lists it; export writes it)
    FormColumn("note", "备注", 40, False, ("备注说明", "notes", "remark", "remarks")),
)

# written by `export`, ignored by `import` (so an export re-imports as it is)
NUMBER = FormColumn("number", "线索编号", 11, False, ("编号", "lead"))
STATUS = FormColumn("status", "状态", 9)
DUE_ON = FormColumn("due_on", "下次跟进", 12, False, ("due",))
EXPORT_COLUMNS: tuple[FormColumn, ...] = (NUMBER, *CAPTURE_COLUMNS, STATUS, DUE_ON)

BY_KEY = {c.key: c for c in EXPORT_COLUMNS}
IGNORED_KEYS = frozenset({NUMBER.key, STATUS.key, DUE_ON.key})


def header_key(text: str) -> str:
    """Fold a header for matching: any case, width, spacing, `_`/`-`, a `*` or (必填) mark."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    folded = re.sub(r"[*＊]|\(必填\)|\(选填\)", "", folded)
    return re.sub(r"[\s_\-]+", "", folded)


_LOOKUP: dict[str, str] = {}
for _column in EXPORT_COLUMNS:
    for _name in (_column.key, _column.header, *_column.aliases):
        _LOOKUP[header_key(_name)] = _column.key


@dataclass
class HeaderMap:
    """Where each column of the form sits in a file, and what the file calls it."""

    index: dict[str, int]  # key → 0-based position
    written: dict[str, str]  # key → the header exactly as the file writes it
    ignored: list[str]  # headers that are not part of the capture form
    chinese: bool  # the file names its columns in Chinese (for columns it lacks)

    def column_name(self, key: str) -> str:
        """The header to report a problem under: the file's own, else the form's."""
        if key in self.written:
            return self.written[key]
        column = BY_KEY.get(key)
        if column is None:
            return key
        return column.header if self.chinese else column.key


def match_headers(headers: list[str], source: str) -> HeaderMap:
    """Map a header row (English or Chinese names, any order) onto the form's columns."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    chinese = 0
    for position, raw in enumerate(headers):
        name = (raw or "").strip()
        if not name:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in name):
            chinese += 1
        key = _LOOKUP.get(header_key(name))
        if key is None:
            ignored.append(name)
            continue
        if key in index:
            raise LeadctlError(
                # TRANSLATORS: {source} is the file's name, quoted; {header} the column's
                # Chinese name and {key} its English one (客户名称, customer)
                _(
                    "{source} has two {header} ({key}) columns, {first!r} and {second!r}; keep "
                    "one and import again."
                ).format(
                    source=source,
                    header=BY_KEY[key].header,
                    key=key,
                    first=written[key],
                    second=name,
                )
            )
        index[key] = position
        written[key] = name
    for key in IGNORED_KEYS:
        index.pop(key, None)
    found = HeaderMap(index, written, ignored, chinese * 2 >= len([h for h in headers if h]))
    missing = [c for c in CAPTURE_COLUMNS if c.required and c.key not in index]
    if missing:
        names = _p("list", ", ").join(
            # TRANSLATORS: a column of the capture form: its Chinese name and English key
            _("{header} ({key})").format(header=c.header, key=c.key)
            for c in missing
        )
        raise LeadctlError(
            # TRANSLATORS: {source} is the file's name, quoted; {names} lists the missing
            # columns, e.g. "客户名称 (customer), 联系电话 (phone)"
            _(
                "{source} has no {names} column: the first row must name the capture form's "
                "columns (`leadctl template form.xlsx` writes an empty form)."
            ).format(source=source, names=names)
        )
    return found


# OWASP CSV injection: a cell starting with one of these can start a formula in a spreadsheet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Text a spreadsheet could read as a formula, or that starts with the `'` import drops."""
    return text.startswith(FORMULA_START) or text.startswith("'")


def neutralise(text: str) -> str:
    """Prefix `'` to text a spreadsheet could read as a formula (and to text already starting
    with `'`, so that `restore` gives back exactly what was exported): for CSV, which has no
    other way to say "text"."""
    return "'" + text if formula_like(text) else text


def restore(text: str) -> str:
    """Undo `neutralise`: drop one leading `'` (Excel's own mark for "this is text")."""
    return text[1:] if text.startswith("'") else text
