"""The feedback report as a PDF, rendered on the server from the report's content (the same JSON
the API serves), so the download matches the page. fpdf2 is pure Python and draws the board
snapshots from their SVG; no fonts or files are fetched.

The document is inert: text goes in as plain text (no markdown, so no links), nothing adds
annotations, actions, scripts or attachments, and even the `/OpenAction` fpdf2 writes by default
(a zoom setting) is left out, so a PDF scanner finds none of those names in the file.
"""

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fpdf import FPDF
from fpdf.output import OutputProducer

MARGIN = 15
GREY = (110, 110, 110)


def _latin(text: Any) -> str:
    """The built-in PDF fonts are Latin-1; replace what they cannot show rather than fail."""
    replacements = {
        "\u2013": "-",
        "\u2014": "-",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2192": "->",
        "\u00a0": " ",
    }
    text = "".join(replacements.get(ch, ch) for ch in str(text if text is not None else ""))
    return text.encode("latin-1", "replace").decode("latin-1")


class _InertOutput(OutputProducer):
    """fpdf2's writer without the catalog's `/OpenAction` (viewers open at page one anyway)."""

    def _finalize_catalog(self, catalog_obj, *args, **kwargs) -> None:
        super()._finalize_catalog(catalog_obj, *args, **kwargs)
        catalog_obj.open_action = None


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(*GREY)
        self.cell(0, 8, f"Mockroom feedback report - page {self.page_no()}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 13)
    pdf.set_text_color(0, 0, 0)
    pdf.cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)


def _para(pdf: FPDF, text: str, *, grey: bool = False) -> None:
    pdf.set_text_color(*(GREY if grey else (0, 0, 0)))
    pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _table(pdf: FPDF, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    with pdf.table(
        col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True
    ) as table:
        table.row([_latin(h) for h in header])
        for row in rows:
            table.row([_latin("-" if cell is None else cell) for cell in row])


def _svg(pdf: FPDF, svg: str, *, max_height: float = 110) -> None:
    if pdf.get_y() + 40 > pdf.h - MARGIN:
        pdf.add_page()
    try:
        pdf.image(io.BytesIO(svg.encode("utf-8")), w=pdf.epw, h=0, keep_aspect_ratio=True)
    except Exception:  # a board the PDF engine cannot draw must not cost the whole report
        _para(
            pdf, "(This board could not be drawn in the PDF; see it on the report page.)", grey=True
        )


def _where(quote: Mapping[str, Any], started_at: str | None, titles: Mapping[str, str]) -> str:
    """ "on the board, 12 min in, during Data preparation" (the parts that are known)."""
    parts = {"board": ["on the board"], "chat": ["in the chat"], "speech": ["said aloud"]}.get(
        quote.get("source"), []
    )
    at = quote.get("at")
    if at and started_at:
        try:
            minutes = (
                datetime.fromisoformat(at) - datetime.fromisoformat(started_at)
            ).total_seconds()
        except ValueError:
            minutes = -1
        if minutes >= 0:
            parts.append(f"{int(minutes // 60)} min in")
    if quote.get("step"):
        parts.append(f"during {titles.get(quote['step'], quote['step'])}")
    return ", ".join(parts)


def _quotes(pdf: FPDF, label: str, quotes, started_at, titles) -> None:
    for quote in quotes or ():
        where = _where(quote, started_at, titles)
        text = f'{label}"{quote["quote"]}"' + (f" ({where})" if where else "")
        _para(pdf, text, grey=True)


def _clock(at: str, started_at: str | None) -> str:
    if not started_at:
        return ""
    try:
        seconds = int(
            (datetime.fromisoformat(at) - datetime.fromisoformat(started_at)).total_seconds()
        )
    except ValueError:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 0 else ""


def _transcript(pdf: FPDF, transcript: Mapping[str, Any] | None, started_at: str | None) -> None:
    """Speaking time and what was said, by step (reports from content version 3 on)."""
    if not transcript or transcript["status"] == "none":
        return
    _heading(pdf, "What was said")
    if transcript["note"]:
        _para(pdf, transcript["note"], grey=True)
    speaking = transcript["speaking"]

    def share(row) -> str:
        value = row["candidate_share"]
        return "-" if value is None else f"{round(value * 100)}%"

    rows = [
        [s["title"], round(s["interviewer_seconds"]), round(s["candidate_seconds"]), share(s)]
        for s in speaking["steps"]
        if s["interviewer_seconds"] + s["candidate_seconds"] > 0
    ]
    total = speaking["total"]
    rows.append(
        [
            "Whole interview",
            round(total["interviewer_seconds"]),
            round(total["candidate_seconds"]),
            share(total),
        ]
    )
    _table(
        pdf,
        ["Speaking time (s)", "Interviewer", "Candidate", "Candidate share"],
        rows,
        [70, 35, 35, 35],
    )
    for step in transcript["steps"]:
        pdf.set_font("helvetica", "B", 10)
        _para(pdf, step["title"])
        pdf.set_font("helvetica", size=10)
        for line in step["segments"]:
            clock = _clock(line["start"], started_at)
            _para(pdf, f"{clock} {line['speaker']} ({line['role']}): {line['text']}".strip())


def render_report_pdf(content: Mapping[str, Any]) -> bytes:
    session = content["session"]
    rubric = content["rubric"]
    pdf = _Report(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 18)
    pdf.cell(
        0, 10, _latin(f"Feedback: {session['case_study']['title']}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("helvetica", size=10)
    _para(
        pdf,
        f"Candidate {session['candidate'] or '-'}, interviewer "
        f"{session['interviewer'] or '-'}; ended {session['ended_at'] or '-'}.",
        grey=True,
    )

    _heading(pdf, "Rubric")
    score = rubric["weighted_score"] or "not scored"
    _para(pdf, f"Weighted score {score} of 4 - {rubric['band_label'] or 'no band yet'}.")
    _table(
        pdf,
        ["Criterion", "Level", "What that level looks like", "Comment"],
        [
            [c["title"], c["level_label"] or "-", c["anchor"], c["comment"]]
            for c in rubric["criteria"]
        ],
        [40, 20, 70, 50],
    )

    _heading(pdf, "Time per step")
    _table(
        pdf,
        ["Step", "Planned min", "Actual min", "Over", "Share"],
        [
            [
                s["title"],
                s["planned_minutes"],
                s["actual_minutes"],
                s["overrun_minutes"],
                f"{round(100 * s['share'])}%",
            ]
            for s in content["time"]["steps"]
        ],
        [60, 30, 30, 30, 30],
    )

    _heading(pdf, "Key concepts")
    coverage = content["coverage"]
    _para(pdf, f"{coverage['found']} of {coverage['total']} key concepts came up.")
    _table(
        pdf,
        ["Step", "Found", "Missing"],
        [
            [step, ", ".join(c["name"] for c in data["found"]), ", ".join(data["missing"])]
            for step, data in coverage["steps"].items()
        ],
        [30, 75, 75],
    )
    titles = {s["key"]: s["title"] for s in content["time"]["steps"]}
    started_at = session.get("started_at")
    semantic = coverage.get("semantic")
    if semantic and not semantic.get("available"):
        _para(
            pdf,
            f"Semantic signal unavailable ({semantic.get('reason') or 'unknown reason'}): "
            "mentions the words alone could not settle were decided by fixed rules.",
            grey=True,
        )
    credits = [
        (found, quote)
        for data in coverage["steps"].values()
        for found in data["found"]
        for quote in found.get("evidence") or ()
    ]
    if credits:
        pdf.ln(2)
        pdf.set_font("helvetica", "B", 10)
        _para(pdf, "What earned each credit")
        pdf.set_font("helvetica", size=10)
        for found, quote in credits:
            confirmed = " (confirmed by the interviewer)" if found.get("override") else ""
            _quotes(pdf, f"{found['name']}{confirmed}: ", [quote], started_at, titles)
    rejected = [c["name"] for data in coverage["steps"].values() for c in data.get("rejected", ())]
    if rejected:
        _para(pdf, f"Rejected by the interviewer, not counted: {', '.join(rejected)}.", grey=True)

    _heading(pdf, "Pitfalls")
    if not content["pitfalls"]:
        _para(pdf, "None of the pitfall rules fired.", grey=True)
    for pitfall in content["pitfalls"]:
        pdf.set_font("helvetica", "B", 10)
        _para(pdf, pitfall["title"])
        pdf.set_font("helvetica", size=10)
        _para(pdf, pitfall["why"])
        _para(pdf, pitfall["evidence"], grey=True)
        _quotes(pdf, "Quoted: ", pitfall.get("quotes"), started_at, titles)
    rejected = [p["title"] for p in content.get("rejected_pitfalls", ())]
    if rejected:
        _para(pdf, f"Rejected by the interviewer: {', '.join(rejected)}.", grey=True)

    _transcript(pdf, content.get("transcript"), started_at)

    if content["notes"]:
        _heading(pdf, "Notes from the interviewer")
        for note in content["notes"]:
            _para(pdf, f"{note['title']}: {note['text']}")

    assessment = content["self_assessment"]
    if assessment["submitted"]:
        _heading(pdf, "Self-assessment and interviewer")
        _table(
            pdf,
            ["Step", "You", "Interviewer", "Gap"],
            [
                [s["title"], s["self_level"], s["interviewer_level"], s["gap"]]
                for s in assessment["steps"]
            ],
            [70, 35, 35, 35],
        )

    recommendations = content["progress"]["recommendations"]
    if recommendations:
        _heading(pdf, "Practise next")
        for rec in recommendations:
            _para(pdf, f"{rec['title']}: {rec['why']}")

    _heading(pdf, "Final whiteboard")
    _svg(pdf, content["whiteboard"]["final"])
    for snap in content["whiteboard"]["snapshots"]:
        _heading(pdf, f"Board at the end of: {snap['title']}")
        _svg(pdf, snap["svg"])
    return bytes(pdf.output(output_producer_class=_InertOutput))
