"""Long tables count each cell's width in C for common text: always Rich's count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from leadctl.render.common import cell_width

# what a table measures: text without control characters (those are shown escaped first);
# the fast ranges, their edges and their neighbours (tone marks U+302A–302F, U+303F, U+FF61 half
# -width katakana, U+2014 and U+2192 three UTF-8 bytes but one cell), emoji, combining marks
EDGES = "\u3000\u3029\u302a\u302f\u3030\u303e\u303f\u4e00\u9fff\ua000\uff01\uff60\uff61\uffe0"
OTHERS = "—→·é\u0301\u200b😀🇨🇳ｱ가"
text = st.text(
    st.sampled_from("aZ 0~" + EDGES + OTHERS) | st.characters(blacklist_categories=("Cc", "Cs")),
    max_size=30,
)


@given(text)
def test_the_width_is_riches_for_any_printable_text(value: str) -> None:
    assert cell_width(value) == cell_len(value)


def test_common_text_is_counted_by_its_bytes() -> None:
    assert (
        cell_width("杭州云栖科技（ABC）有限公司，2号")
        == cell_len("杭州云栖科技（ABC）有限公司，2号")
        == 32
    )
    assert cell_width("行业展会") == 8
    assert cell_width("L0001") == 5


def test_a_long_table_lines_up_every_kind_of_text() -> None:
    """Columns laid out a column at a time start at the same cell in every row: ASCII columns,
    CJK ones, text Rich measures (emoji, a combining accent) and escaped terminal codes."""
    import io

    from rich.console import Console

    from leadctl.render.common import plain_table

    rows = [
        ["L0001", "杭州云栖科技有限公司", "new", "A", ""],
        ["L0002", "ACME Ltd", "active", "", "2024-10-08"],
        ["L0003", "Café 😀 Crème", "dormant", "D", ""],
        ["L0004", "上海\x1b[31m明德", "new", "B", "2024-10-09"],
    ]
    file = io.StringIO()
    plain_table(Console(file=file, width=200), ("Lead", "Customer", "Status", "G", "Due"), rows)
    lines = file.getvalue().splitlines()
    assert lines[0].split() == ["Lead", "Customer", "Status", "G", "Due"]
    assert "上海\\x1b[31m明德" in lines[5]  # shown escaped, never sent to the terminal
    body = lines[2:]
    starts = {cell_len(line[: line.index(status)]) for line, status in
              zip(body, ["new", "active", "dormant", "new"], strict=True)}  # fmt: skip
    assert starts == {cell_len(lines[0][: lines[0].index("Status")])}
    assert all(line == line.rstrip() for line in lines)  # no trailing spaces for an empty Due
    widths = [cell_len(part) for part in lines[1].split("  ")]
    assert widths == [5, max(cell_len(r[1].replace("\x1b", "\\x1b")) for r in rows), 7, 1, 10]


printable = text.filter(str.isprintable)  # what is not is shown escaped (tested above)


# a column of few values (a source, a status) is padded once a value; of many, cell by cell
few = st.sampled_from(["官网注册", "Expo 展会", "😀 短视频", "", "x"])


@given(
    st.lists(
        st.tuples(printable, st.one_of(printable, few), few, st.sampled_from(["new", "active"])),
        min_size=1,
        max_size=40,
    )
)
def test_every_column_of_a_long_table_starts_at_one_cell(rows: list[tuple[str, ...]]) -> None:
    """However the text of a column is measured (few values once each, ASCII, the common CJK
    by its bytes, or Rich's count per value), each column begins at the same terminal cell on
    every line."""
    import io

    from rich.console import Console

    from leadctl.render.common import plain_table

    file = io.StringIO()
    heads = ("Lead", "客户", "来源", "Status")
    plain_table(Console(file=file, width=200), heads, [list(r) for r in rows])
    lines = file.getvalue().split("\n")[2:-1]
    assert len(lines) == len(rows)
    wide = [max(cell_len(h), *(cell_len(r[i]) for r in rows)) for i, h in enumerate(heads[:3])]
    for line, row in zip(lines, rows, strict=True):
        padded = [v + " " * (w - cell_len(v)) for v, w in zip(row, wide, strict=False)]
        assert line == "  ".join([*padded, row[3]])
