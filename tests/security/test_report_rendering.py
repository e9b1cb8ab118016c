"""The report's SVG and PDF from hostile boards: whatever a scene holds, rendering never fails,
attributes come from whitelists, and the PDF carries no script, action, link or attachment."""

import itertools
import re
import zlib
from xml.etree import ElementTree as ET

import pytest

from interviews.models import WhiteboardSnapshot
from interviews.reports.build import report_build, report_content
from interviews.reports.render.pdf import render_report_pdf
from interviews.reports.render.svg import _FONTS, SVG_NAMESPACE, render_scene_svg
from testkit.excalidraw import element, text_element
from tests.interviews.scripted import draw, play

SVG = f"{{{SVG_NAMESPACE}}}"
DRAWN_TAGS = {"svg", "title", "g", "rect", "ellipse", "polygon", "polyline", "path", "circle"}
DRAWN_TAGS |= {"text", "tspan"}
ATTRIBUTES = {
    "xmlns", "viewBox", "width", "height", "role", "x", "y", "rx", "ry", "cx", "cy", "r", "d",
    "points", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray",
    "stroke-linecap", "stroke-linejoin", "opacity", "transform", "class", "data-type", "data-id",
    "font-family", "font-size", "text-anchor", "style",
}  # fmt: skip
HOSTILE = [
    None, True, False, 0, -1, 2**63, -(2**70), 1e308, float("nan"), float("inf"), "", "10",
    "<script>alert(1)</script>", '"><script>alert(1)</script>', "javascript:alert(1)",
    "url(https://evil.example/x)", "red;} svg{x:1", "\x00", "\ud800", "x" * 5000, [], [1, [2]],
    ["a", "b"], {}, {"type": 3, "value": "x"}, {"a": {"b": {"c": []}}},
]  # fmt: skip
FIELDS = [
    "id", "type", "x", "y", "width", "height", "angle", "strokeColor", "backgroundColor",
    "fillStyle", "strokeWidth", "strokeStyle", "opacity", "roundness", "text", "fontSize",
    "fontFamily", "textAlign", "verticalAlign", "lineHeight", "containerId", "points",
    "startArrowhead", "endArrowhead", "elbowed", "polygon", "name", "link", "index", "isDeleted",
    "groupIds", "boundElements", "customData",
]  # fmt: skip
TYPES = ["rectangle", "ellipse", "diamond", "text", "line", "arrow", "freedraw", "image", "frame"]
TYPES.append("magicframe")
FAMILIES = set(_FONTS.values())
PAINT = r"#[0-9a-fA-F]{3,8}|[a-z]{3,20}|none|rgba?\([0-9., %/]+\)"


def base(kind: str) -> dict:
    el = element("el1", kind=kind, text="hello") if kind == "text" else element("el1", kind=kind)
    if kind in ("line", "arrow", "freedraw"):
        el["points"] = [[0, 0], [50, 20], [90, 60]]
        el["startArrowhead"], el["endArrowhead"] = "dot", "triangle"
    return el


def check_svg(svg: str) -> None:
    root = ET.fromstring(svg)
    for node in root.iter():
        tag = node.tag.removeprefix(SVG)
        assert tag in DRAWN_TAGS, tag
        for name, value in node.attrib.items():
            assert name in ATTRIBUTES, name
            if name == "xmlns":
                continue
            lowered = value.lower()
            assert not any(
                bad in lowered for bad in ("<", ">", '"', "javascript", "url(", "http", "evil")
            )
            if name == "data-id":
                assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value)
            if name in ("fill", "stroke"):
                assert re.fullmatch(PAINT, value), value
            if name == "font-family":
                assert value in FAMILIES


def test_every_field_of_every_type_with_hostile_values_of_every_json_type_renders():
    for kind, field, value in itertools.product(TYPES, FIELDS, HOSTILE):
        el = {**base(kind), field: value}
        check_svg(render_scene_svg([el, text_element("label", "ok", containerId="el1")]))


@pytest.mark.parametrize("scene", [None, {}, "x", 5, [None, 1, "a", [], {"type": []}]])
def test_a_scene_that_is_not_a_list_of_elements_is_an_empty_board(scene):
    svg = render_scene_svg(scene)
    check_svg(svg)
    assert "The whiteboard is empty." in svg


def test_a_script_id_never_reaches_the_data_id():
    root = ET.fromstring(render_scene_svg([element('"><script>alert(1)</script>')]))
    (group,) = root.iter(f"{SVG}g")
    assert group.get("data-id") is None
    root = ET.fromstring(render_scene_svg([element("Xy_9-AbCdE")]))
    assert next(root.iter(f"{SVG}g")).get("data-id") == "Xy_9-AbCdE"


def test_wrong_types_fall_back_to_defaults_instead_of_dropping_the_element():
    el = text_element(
        "t1",
        "still here",
        fontFamily=[1, 2],
        textAlign={"x": "center"},
        fontSize="20",
        opacity=float("nan"),
        angle="90",
        strokeColor=["#fff"],
    )
    root = ET.fromstring(render_scene_svg([el]))
    (text,) = root.iter(f"{SVG}text")
    assert text.get("text-anchor") == "start"
    assert text.get("font-size") == "20"
    assert text.get("fill") == "#1e1e1e"
    assert "still here" in "".join(text.itertext())


@pytest.mark.parametrize(
    "colour, painted",
    [
        ("#a5d8ff", "#a5d8ff"),
        ("#ABC", "#ABC"),
        ("Red", "red"),
        ("transparent", "none"),
        ("rgb(10, 20, 30)", "rgb(10, 20, 30)"),
        ("#12345", None),
        ("javascript", None),
        ("expression(alert(1))", None),
        ("red;fill:url(#x)", None),
    ],
)
def test_colours_come_from_a_whitelist(colour, painted):
    root = ET.fromstring(render_scene_svg([element("r", backgroundColor=colour)]))
    shape = root.find(f"{SVG}g/{SVG}rect")
    assert shape.get("fill") == (painted or "none")


def test_links_on_elements_are_never_drawn():
    elements = [
        element("a", link="https://example.com/x"),
        element("b", link="javascript:alert(1)"),
        text_element("c", "click", link="file:///etc/passwd"),
    ]
    svg = render_scene_svg(elements)
    check_svg(svg)
    assert "example.com" not in svg and "passwd" not in svg


# --- the PDF -----------------------------------------------------------------------------------

# PDF names that run code, open files or links, or carry attachments.
DANGEROUS_NAMES = [
    b"/JavaScript", b"/JS", b"/Launch", b"/URI", b"/EmbeddedFile", b"/EmbeddedFiles",
    b"/OpenAction", b"/AA", b"/Annots", b"/SubmitForm", b"/GoToR", b"/RichMedia", b"/XFA",
]  # fmt: skip


def pdf_names(pdf: bytes) -> set[bytes]:
    """Every name token in the PDF's objects and in its (inflated) streams."""
    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            chunks.append(stream)
    names = set()
    for chunk in chunks:
        # Strings in content streams are data, not names: drop (...) literals first.
        chunk = re.sub(rb"\((?:\\.|[^\\)])*\)", b"()", chunk)
        names.update(re.findall(rb"/[A-Za-z][A-Za-z0-9]*", chunk))
    return names


HOSTILE_TEXTS = [
    "<script>app.alert(1)</script>",
    "/JavaScript /JS (app.alert(1)) /OpenAction /Launch /URI",
    "https://evil.example/phish  javascript:alert(1)  file:///etc/passwd",
    "[click](https://evil.example/) <a href='https://evil.example'>x</a>",
]


@pytest.mark.django_db
def test_the_pdf_of_a_hostile_board_carries_no_script_action_link_or_attachment(
    interview, user_factory
):
    session, interviewer, candidate = interview
    play(session, interviewer, candidate, {"clarify": {"seconds": 60}, "frame": {"seconds": 60}})
    for i, text in enumerate(HOSTILE_TEXTS):
        draw(
            session,
            candidate,
            "candidate",
            text_element(f"h{i}", text, link="javascript:alert(1)"),
            element(f"b{i}", link="https://evil.example/", backgroundColor="url(#x)"),
        )
    WhiteboardSnapshot.objects.create(
        session=session,
        step="clarify",
        reason="step_change",
        seq=1,
        elements=[
            {**base(kind), field: value}
            for kind in TYPES
            for field, value in [
                ("id", '"><script>alert(1)</script>'),
                ("fontFamily", [1]),
                ("textAlign", {"a": 1}),
                ("link", "javascript:alert(1)"),
                ("strokeColor", "url(javascript:alert(1))"),
                ("x", "10"),
            ]
        ]
        + [text_element("t", HOSTILE_TEXTS[1], link="https://evil.example/")],
    )
    assert report_build(session_id=session.pk, force=True) == "ready"
    content = report_content(session_id=session.pk)
    boards = content["whiteboard"]
    assert boards["snapshots"]
    for board in [boards["final"], *(snap["svg"] for snap in boards["snapshots"])]:
        check_svg(board)
    pdf = render_report_pdf(content)
    assert pdf.startswith(b"%PDF")
    found = pdf_names(pdf) & set(DANGEROUS_NAMES)
    assert found == set(), found
    assert b"evil.example" not in pdf
