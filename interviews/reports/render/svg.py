"""Server-side SVG of a stored Excalidraw scene, for the report page and the PDF.

Excalidraw's own `exportToSvg` runs only in a browser, and the report is built by a worker, so
this draws the elements again with plain SVG shapes. It aims at a faithful diagram, not at
Excalidraw's hand-drawn look: shapes are crisp, hatched fills become translucent solid fills
(a pattern would need internal references), and fonts fall back to local families.

The scene comes from clients, so everything in it is untrusted:

- all markup is built with `xml.etree`, which escapes text and attribute values, and characters
  that XML cannot carry are dropped, so user text can never become markup;
- attribute values come from whitelists, never from the scene as they are: colours are `#hex`,
  a CSS colour name, `transparent` or a numeric `rgb()`/`hsl()`; fonts are Excalidraw's font ids
  mapped to fixed families; alignment, arrowheads and stroke styles are known words; element ids
  are kept in `data-id` only when they look like Excalidraw's ids (letters, digits, `_`, `-`);
- the output holds no links, images or fonts to fetch: element `link`s are dropped (the SVG is
  shown as an image and put in the PDF, where a link would only be a way out), and the only URI
  is the SVG namespace name;
- any field may hold any JSON value (a list for `fontFamily`, an object for `textAlign`, a string
  or NaN for a number): optional fields fall back to their defaults, and an element whose
  position or shape is unusable is skipped; nothing in a scene can make rendering fail.

Each drawn element becomes one `<g class="element" data-type=... data-id=...>`; rotation
(`angle`, radians, clockwise on screen) is a transform around the element's centre, as in
Excalidraw. The viewBox covers every drawn element, rotated, plus padding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
PADDING = 20.0
BACKGROUND = "#ffffff"
DEFAULT_STROKE = "#1e1e1e"
DEFAULT_FONT_SIZE = 20.0
DEFAULT_LINE_HEIGHT = 1.25  # Excalidraw's unitless default
HATCH_FILL_OPACITY = 0.35

# Excalidraw's roundness types and radius rules (constants of @excalidraw/common).
ROUNDNESS_ADAPTIVE = 3
PROPORTIONAL_RADIUS = 0.25
ADAPTIVE_RADIUS = 32.0

# Excalidraw font ids -> local families. Hand-drawn fonts are used where installed (the room page
# self-hosts them); otherwise a plain sans-serif reads better than a random "cursive".
_FONTS = {
    1: "Virgil, Excalifont, 'Comic Sans MS', sans-serif",
    2: "Helvetica, Arial, sans-serif",
    3: "'Cascadia Code', Consolas, monospace",
    5: "Excalifont, Virgil, 'Comic Sans MS', sans-serif",
    6: "Nunito, Helvetica, Arial, sans-serif",
    7: "'Lilita One', Helvetica, Arial, sans-serif",
    8: "'Comic Shanns', 'Comic Sans MS', monospace",
    9: "'Liberation Sans', Helvetica, Arial, sans-serif",
}
_DEFAULT_FONT = _FONTS[5]
_ANCHORS = {"left": "start", "center": "middle", "right": "end"}

_HEX_COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FUNCTION_COLOR_RE = re.compile(r"(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%,\s/]{1,60}\)")
# CSS Color Module 4's named colours.
_NAMED_COLOR_WORDS = """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson
    cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta
    darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue
    darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey
    dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray
    green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
    lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen
    lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
    lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
    mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
    mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive
    olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred
    papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
    saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray
    slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
    whitesmoke yellow yellowgreen"""
_NAMED_COLORS = frozenset(_NAMED_COLOR_WORDS.split())
# Excalidraw's ids (nanoid and the like); anything else is not worth keeping as an attribute.
_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Coordinates beyond this are not a drawing (Excalidraw's canvas never gets near it).
MAX_COORDINATE = 1e7
# Characters XML 1.0 cannot hold; left in, they would make the document unparseable.
_NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Box = tuple[float, float, float, float]  # min x, min y, max x, max y
Point = tuple[float, float]


class _Skip(Exception):
    """The element cannot be drawn (missing or non-finite geometry)."""


def render_scene_svg(elements: list[dict], *, padding: float = PADDING) -> str:
    """Render Excalidraw 0.18 elements (as stored: dicts with `type`, `x`, `y`, ...) to SVG.

    Deleted elements, unknown types and elements with unusable geometry are skipped. Elements are
    drawn in fractional `index` order when every element has one (the server may store them in
    any order), otherwise in list order. An empty result is a small SVG saying so.
    """
    if not isinstance(elements, list | tuple):
        elements = []
    visible = [el for el in elements if isinstance(el, Mapping) and not el.get("isDeleted")]
    if visible and all(isinstance(el.get("index"), str) for el in visible):
        visible.sort(key=lambda el: el["index"])

    arrow_ids = {
        el["id"] for el in visible if el.get("type") == "arrow" and isinstance(el.get("id"), str)
    }
    groups: list[ET.Element] = []
    boxes: list[Box] = []
    for element in visible:
        kind = element.get("type")
        draw = _DRAWERS.get(kind) if isinstance(kind, str) else None
        if draw is None:
            continue
        try:
            group, box = _draw_element(element, draw)
        except _Skip:
            continue
        container = element.get("containerId")
        if kind == "text" and isinstance(container, str) and container in arrow_ids:
            _mask_under_label(group, element)
        groups.append(group)
        boxes.append(box)

    if not groups:
        return _empty_svg()
    min_x = min(b[0] for b in boxes) - padding
    min_y = min(b[1] for b in boxes) - padding
    width = max(b[2] for b in boxes) + padding - min_x
    height = max(b[3] for b in boxes) + padding - min_y
    root = _svg_root(min_x, min_y, width, height)
    ET.SubElement(root, "title").text = "Whiteboard"
    ET.SubElement(
        root, "rect", x=_n(min_x), y=_n(min_y), width=_n(width), height=_n(height), fill=BACKGROUND
    )
    root.extend(groups)
    return ET.tostring(root, encoding="unicode")


def _empty_svg() -> str:
    root = _svg_root(0, 0, 320, 80)
    ET.SubElement(root, "title").text = "Whiteboard"
    ET.SubElement(root, "rect", x="0", y="0", width="320", height="80", fill=BACKGROUND)
    note = ET.SubElement(
        root,
        "text",
        x="160",
        y="45",
        fill="#6b6b6b",
        attrib={"font-family": _FONTS[2], "font-size": "16", "text-anchor": "middle"},
    )
    note.text = "The whiteboard is empty."
    return ET.tostring(root, encoding="unicode")


def _svg_root(x: float, y: float, width: float, height: float) -> ET.Element:
    return ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "viewBox": f"{_n(x)} {_n(y)} {_n(width)} {_n(height)}",
            "width": _n(width),
            "height": _n(height),
            "role": "img",
        },
    )


# --- one element -------------------------------------------------------------------------------

Drawer = Callable[[Mapping[str, Any], ET.Element], Box]


def _draw_element(element: Mapping[str, Any], draw: Drawer) -> tuple[ET.Element, Box]:
    group = ET.Element("g", {"class": "element", "data-type": str(element["type"])})
    element_id = element.get("id")
    if isinstance(element_id, str) and _ID_RE.fullmatch(element_id):
        group.set("data-id", element_id)
    box = draw(element, group)
    opacity = _number(element, "opacity", 100)
    if 0 <= opacity < 100:
        group.set("opacity", _n(opacity / 100))
    angle = _number(element, "angle", 0)
    if angle % (2 * math.pi):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        group.set("transform", f"rotate({_n(math.degrees(angle))} {_n(cx)} {_n(cy)})")
        box = _rotated_box(box, angle)
    return group, box


def _mask_under_label(group: ET.Element, element: Mapping[str, Any]) -> None:
    """Excalidraw leaves a gap in an arrow under its label; a background-coloured box behind
    the label does the same without cutting the arrow's path. Inside the element's group, so it
    turns with the label."""
    x1, y1, x2, y2 = _rect_box(element)
    mask = ET.Element(
        "rect",
        {
            "x": _n(x1 - 4),
            "y": _n(y1),
            "width": _n(x2 - x1 + 8),
            "height": _n(y2 - y1),
            "fill": BACKGROUND,
        },
    )
    group.insert(0, mask)


def _rect_box(element: Mapping[str, Any]) -> Box:
    """The element's unrotated box; negative sizes (drawn up or left) are normalised."""
    x, y = _number(element, "x"), _number(element, "y")
    width, height = _number(element, "width", 0), _number(element, "height", 0)
    return min(x, x + width), min(y, y + height), max(x, x + width), max(y, y + height)


def _draw_rectangle(element: Mapping[str, Any], group: ET.Element) -> Box:
    box = _rect_box(element)
    width, height = box[2] - box[0], box[3] - box[1]
    attrs = {"x": _n(box[0]), "y": _n(box[1]), "width": _n(width), "height": _n(height)}
    radius = _corner_radius(element.get("roundness"), min(width, height))
    if radius:
        attrs["rx"] = attrs["ry"] = _n(radius)
    ET.SubElement(group, "rect", {**attrs, **_paint(element)})
    return box


def _corner_radius(roundness: Any, side: float) -> float:
    """Excalidraw's rule: adaptive roundness is a fixed radius (32 unless set) except on small
    shapes, where it, like the legacy and proportional kinds, is a quarter of the short side."""
    if not isinstance(roundness, Mapping):
        return 0.0
    if roundness.get("type") == ROUNDNESS_ADAPTIVE:
        fixed = roundness.get("value")
        fixed = fixed if _finite(fixed) and fixed > 0 else ADAPTIVE_RADIUS
        return side * PROPORTIONAL_RADIUS if side <= fixed / PROPORTIONAL_RADIUS else fixed
    return side * PROPORTIONAL_RADIUS


def _draw_ellipse(element: Mapping[str, Any], group: ET.Element) -> Box:
    box = _rect_box(element)
    ET.SubElement(
        group,
        "ellipse",
        {
            "cx": _n((box[0] + box[2]) / 2),
            "cy": _n((box[1] + box[3]) / 2),
            "rx": _n((box[2] - box[0]) / 2),
            "ry": _n((box[3] - box[1]) / 2),
            **_paint(element),
        },
    )
    return box


def _draw_diamond(element: Mapping[str, Any], group: ET.Element) -> Box:
    x1, y1, x2, y2 = box = _rect_box(element)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    corners = [(cx, y1), (x2, cy), (cx, y2), (x1, cy)]
    attrs = {"points": _points_attr(corners), "stroke-linejoin": "round", **_paint(element)}
    ET.SubElement(group, "polygon", attrs)
    return box


def _draw_image(element: Mapping[str, Any], group: ET.Element) -> Box:
    """Images are not embedded (their files live elsewhere and could be anything): a dashed
    placeholder of the same size keeps the layout readable."""
    box = _rect_box(element)
    width, height = box[2] - box[0], box[3] - box[1]
    ET.SubElement(
        group,
        "rect",
        {
            "x": _n(box[0]),
            "y": _n(box[1]),
            "width": _n(width),
            "height": _n(height),
            "fill": "#f1f3f5",
            "stroke": "#868e96",
            "stroke-dasharray": "6 4",
        },
    )
    label = ET.SubElement(
        group,
        "text",
        {
            "x": _n(box[0] + width / 2),
            "y": _n(box[1] + height / 2 + 5),
            "fill": "#868e96",
            "font-family": _FONTS[2],
            "font-size": "14",
            "text-anchor": "middle",
        },
    )
    label.text = "image"
    return box


def _draw_frame(element: Mapping[str, Any], group: ET.Element) -> Box:
    box = _rect_box(element)
    ET.SubElement(
        group,
        "rect",
        {
            "x": _n(box[0]),
            "y": _n(box[1]),
            "width": _n(box[2] - box[0]),
            "height": _n(box[3] - box[1]),
            "rx": "8",
            "fill": "none",
            "stroke": "#bbbbbb",
        },
    )
    name = element.get("name")
    label = ET.SubElement(
        group,
        "text",
        {
            "x": _n(box[0]),
            "y": _n(box[1] - 6),
            "fill": "#868e96",
            "font-family": _FONTS[2],
            "font-size": "14",
        },
    )
    label.text = _clean(name) if isinstance(name, str) and name.strip() else "Frame"
    return box[0], box[1] - 22, box[2], box[3]


def _draw_text(element: Mapping[str, Any], group: ET.Element) -> Box:
    """Multi-line text at the element's own box. Text bound to a container has had its x/y set
    by Excalidraw already, so containers are never consulted."""
    text = element.get("text")
    if not isinstance(text, str):
        raise _Skip
    lines = _clean(text).split("\n")
    font_size = _number(element, "fontSize", DEFAULT_FONT_SIZE)
    if font_size <= 0:
        raise _Skip
    line_height = _number(element, "lineHeight", DEFAULT_LINE_HEIGHT) * font_size
    x, y = _number(element, "x"), _number(element, "y")
    width = _number(element, "width", 0) or max(len(line) for line in lines) * font_size * 0.6
    height = _number(element, "height", 0) or len(lines) * line_height
    align = element.get("textAlign")
    align = align if isinstance(align, str) and align in _ANCHORS else "left"
    anchor_x = {"left": x, "center": x + width / 2, "right": x + width}[align]

    node = ET.SubElement(
        group,
        "text",
        {
            "font-family": _font(element.get("fontFamily")),
            "font-size": _n(font_size),
            "fill": _color(element.get("strokeColor"), DEFAULT_STROKE),
            "text-anchor": _ANCHORS[align],
            "style": "white-space: pre",
        },
    )
    # Baseline about a third of an em below the middle of each line box.
    for i, line in enumerate(lines):
        if not line:
            continue
        baseline = y + i * line_height + line_height / 2 + font_size * 0.35
        ET.SubElement(node, "tspan", x=_n(anchor_x), y=_n(baseline)).text = line
    return x, y, x + width, y + height


def _draw_linear(element: Mapping[str, Any], group: ET.Element) -> Box:
    """Lines and arrows: points are relative to x/y. Rounded ones curve through their points,
    elbow arrows stay orthogonal, closed lines (`polygon`) are filled."""
    points = _absolute_points(element)
    paint = _paint(element)
    closed = element.get("type") == "line" and bool(element.get("polygon")) and len(points) > 2
    curved = element.get("roundness") is not None and not element.get("elbowed")
    line_attrs = {**paint, "stroke-linejoin": "round", "stroke-linecap": "round"}
    if not closed:
        line_attrs["fill"] = "none"
        line_attrs.pop("fill-opacity", None)
    if curved and len(points) > 2:
        ET.SubElement(group, "path", {"d": _smooth_path(points, closed=closed), **line_attrs})
    else:
        tag = "polygon" if closed else "polyline"
        ET.SubElement(group, tag, {"points": _points_attr(points), **line_attrs})
    stroke, width = paint["stroke"], _stroke_width(element)
    if element.get("type") == "arrow":
        _arrowhead(group, element.get("startArrowhead"), points, stroke, width, at_start=True)
        _arrowhead(group, element.get("endArrowhead"), points, stroke, width, at_start=False)
    return _points_box(points)


def _draw_freedraw(element: Mapping[str, Any], group: ET.Element) -> Box:
    """Freehand strokes as one smooth, round-capped path through the sampled points."""
    points = _absolute_points(element)
    stroke = _color(element.get("strokeColor"), DEFAULT_STROKE)
    width = _n(max(1.0, _stroke_width(element) * 1.5))
    if len(points) == 1:  # a dot
        (px, py) = points[0]
        ET.SubElement(group, "circle", cx=_n(px), cy=_n(py), r=width, fill=stroke)
    else:
        attrs = {
            "d": _smooth_path(points),
            "fill": "none",
            "stroke": stroke,
            "stroke-width": width,
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
        }
        ET.SubElement(group, "path", attrs)
    return _points_box(points)


_DRAWERS: dict[str, Drawer] = {
    "rectangle": _draw_rectangle,
    "ellipse": _draw_ellipse,
    "diamond": _draw_diamond,
    "text": _draw_text,
    "line": _draw_linear,
    "arrow": _draw_linear,
    "freedraw": _draw_freedraw,
    "image": _draw_image,
    "frame": _draw_frame,
    "magicframe": _draw_frame,
}


# --- arrowheads --------------------------------------------------------------------------------


def _arrowhead(
    group: ET.Element,
    kind: Any,
    points: list[Point],
    stroke: str,
    stroke_width: float,
    *,
    at_start: bool,
) -> None:
    """Draw an arrowhead at one end, pointing along the last segment with any length.

    Kinds Excalidraw has beyond arrow/triangle/bar/circle/dot/diamond (crow's feet and
    cardinality marks) are drawn as a plain arrow: the direction is what the diagram needs.
    """
    if not kind or len(points) < 2:
        return
    ordered = points if at_start else points[::-1]
    tip = ordered[0]
    behind = next((p for p in ordered[1:] if p != tip), None)
    if behind is None:
        return
    dx, dy = tip[0] - behind[0], tip[1] - behind[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length  # unit vector pointing out of the line at the tip
    size = min(10 + 2 * stroke_width, max(4.0, length * 0.5))
    base = (tip[0] - ux * size, tip[1] - uy * size)
    px, py = -uy, ux  # perpendicular

    def side(sign: float, spread: float) -> Point:
        return base[0] + sign * px * size * spread, base[1] + sign * py * size * spread

    common = {"stroke": stroke, "stroke-width": _n(stroke_width), "stroke-linejoin": "round"}
    hollow = isinstance(kind, str) and kind.endswith("_outline")
    fill = BACKGROUND if hollow else stroke
    if kind in ("triangle", "triangle_outline"):
        corners = [tip, side(1, 0.5), side(-1, 0.5)]
        ET.SubElement(group, "polygon", {"points": _points_attr(corners), "fill": fill, **common})
    elif kind == "bar":
        ends = [(tip[0] + px * size / 2, tip[1] + py * size / 2)]
        ends.append((tip[0] - px * size / 2, tip[1] - py * size / 2))
        ET.SubElement(group, "polyline", {"points": _points_attr(ends), **common})
    elif kind in ("dot", "circle", "circle_outline"):
        radius = size / 2.5
        centre = (tip[0] - ux * radius, tip[1] - uy * radius)
        ET.SubElement(
            group,
            "circle",
            {"cx": _n(centre[0]), "cy": _n(centre[1]), "r": _n(radius), "fill": fill, **common},
        )
    elif kind in ("diamond", "diamond_outline"):
        back = (tip[0] - ux * size * 1.5, tip[1] - uy * size * 1.5)
        mid = (tip[0] - ux * size * 0.75, tip[1] - uy * size * 0.75)
        corners = [tip, (mid[0] + px * size * 0.4, mid[1] + py * size * 0.4), back]
        corners.append((mid[0] - px * size * 0.4, mid[1] - py * size * 0.4))
        ET.SubElement(group, "polygon", {"points": _points_attr(corners), "fill": fill, **common})
    else:
        barbs = [side(1, 0.45), tip, side(-1, 0.45)]
        attrs = {"points": _points_attr(barbs), "fill": "none", "stroke-linecap": "round"}
        ET.SubElement(group, "polyline", {**attrs, **common})


# --- geometry and attributes -------------------------------------------------------------------


def _absolute_points(element: Mapping[str, Any]) -> list[Point]:
    x, y = _number(element, "x"), _number(element, "y")
    raw = element.get("points")
    if not isinstance(raw, list) or not raw:
        raise _Skip
    points: list[Point] = []
    for point in raw:
        if not isinstance(point, list | tuple) or len(point) < 2:
            raise _Skip
        px, py = point[0], point[1]
        if not (_finite(px) and _finite(py)):
            raise _Skip
        points.append((x + px, y + py))
    return points


def _points_box(points: Iterable[Point]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _rotated_box(box: Box, angle: float) -> Box:
    """Axis-aligned box around `box` turned by `angle` about its centre."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    cos, sin = math.cos(angle), math.sin(angle)
    corners = [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])]
    turned = [
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in corners
    ]
    return _points_box(turned)


def _smooth_path(points: list[Point], *, closed: bool = False) -> str:
    """A path through every point, with Catmull-Rom tangents turned into cubic Béziers."""
    if len(points) < 3:
        return "M " + " L ".join(f"{_n(x)} {_n(y)}" for x, y in points)
    # Pad so every segment has a point before and after it.
    if closed:
        pts = [points[-1], *points, points[0], points[1]]
    else:
        pts = [points[0], *points, points[-1]]
    parts = [f"M {_n(points[0][0])} {_n(points[0][1])}"]
    for i in range(len(pts) - 3):
        p0, p1, p2, p3 = pts[i : i + 4]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(f"C {_n(c1[0])} {_n(c1[1])} {_n(c2[0])} {_n(c2[1])} {_n(p2[0])} {_n(p2[1])}")
    if closed:
        parts.append("Z")
    return " ".join(parts)


def _paint(element: Mapping[str, Any]) -> dict[str, str]:
    """Stroke and fill attributes shared by the closed shapes and lines."""
    stroke_width = _stroke_width(element)
    attrs = {
        "stroke": _color(element.get("strokeColor"), DEFAULT_STROKE),
        "stroke-width": _n(stroke_width),
    }
    background = _color(element.get("backgroundColor"), "none")
    attrs["fill"] = background
    if background != "none" and element.get("fillStyle", "solid") != "solid":
        attrs["fill-opacity"] = _n(HATCH_FILL_OPACITY)
    style = element.get("strokeStyle")
    if style == "dashed":
        attrs["stroke-dasharray"] = f"8 {_n(8 + stroke_width)}"
    elif style == "dotted":
        attrs["stroke-dasharray"] = f"1.5 {_n(6 + stroke_width)}"
        attrs["stroke-linecap"] = "round"
    return attrs


def _stroke_width(element: Mapping[str, Any]) -> float:
    width = _number(element, "strokeWidth", 2)
    return min(max(width, 0.5), 40.0)


def _color(value: Any, default: str) -> str:
    """A colour from the whitelist, or `default`. `transparent` means no paint."""
    if not isinstance(value, str):
        return default
    value = value.strip()
    if value.lower() == "transparent":
        return "none"
    if value.lower() in _NAMED_COLORS:
        return value.lower()
    if _HEX_COLOR_RE.fullmatch(value) or _FUNCTION_COLOR_RE.fullmatch(value):
        return value
    return default


def _font(value: Any) -> str:
    """The family for an Excalidraw font id; anything else gets the default family."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _FONTS.get(value, _DEFAULT_FONT)
    return _DEFAULT_FONT


def _number(element: Mapping[str, Any], key: str, default: float | None = None) -> float:
    """The field as a finite number. A missing or unusable value is `default` when there is one;
    without a default (positions) the element cannot be drawn."""
    value = element.get(key)
    if _finite(value):
        return float(value)
    if default is None:
        raise _Skip
    return float(default)


def _finite(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= MAX_COORDINATE
    )


def _clean(text: str) -> str:
    return _NOT_XML_RE.sub("", text)


def _points_attr(points: Iterable[Point]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _n(value: float) -> str:
    """Compact number: two decimals at most, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
