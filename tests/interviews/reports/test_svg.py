"""The whiteboard SVG renderer, on a real multi-element Excalidraw 0.18 scene and on edge cases."""

import json
import math
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from interviews.reports.render.svg import SVG_NAMESPACE, render_scene_svg

NS = {"svg": SVG_NAMESPACE}
SCENE = json.loads((Path(__file__).parent / "fixtures" / "scene.json").read_text())


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element) -> list[ET.Element]:
    return root.findall("svg:g[@class='element']", NS)


def group(root: ET.Element, element_id: str) -> ET.Element:
    (found,) = root.findall(f"svg:g[@data-id='{element_id}']", NS)
    return found


def all_text(node: ET.Element) -> list[str]:
    return [t.text for t in node.iter(f"{{{SVG_NAMESPACE}}}tspan")]


def rect(x=0, y=0, width=100, height=50, **extra):
    return {
        "id": extra.pop("id", "r"),
        "type": "rectangle",
        "x": x,
        "y": y,
        "width": width,
        "height": height,
        **extra,
    }


# --- the real scene ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scene_root() -> ET.Element:
    return parse(render_scene_svg(SCENE))


def test_scene_renders_one_group_per_live_drawable_element(scene_root):
    expected = [el["id"] for el in SCENE if not el["isDeleted"] and el["type"] != "embeddable"]
    assert len(expected) == 18
    assert [g.get("data-id") for g in groups(scene_root)] == expected


def test_scene_draws_each_supported_type_with_its_svg_shape(scene_root):
    kinds = Counter(g.get("data-type") for g in groups(scene_root))
    assert kinds == {
        "rectangle": 3,
        "text": 7,
        "ellipse": 1,
        "diamond": 1,
        "arrow": 3,
        "line": 1,
        "freedraw": 1,
        "image": 1,
    }
    assert group(scene_root, "ranker-ellipse").find("svg:ellipse", NS) is not None
    assert group(scene_root, "cache-diamond").find("svg:polygon", NS) is not None
    assert (
        group(scene_root, "feedback-squiggle")
        .find("svg:path", NS)
        .get("d")
        .startswith("M 560 450 C")
    )
    placeholder = group(scene_root, "architecture-screenshot").find("svg:rect", NS)
    assert placeholder.get("stroke-dasharray") and placeholder.get("width") == "120"


def test_scene_skips_deleted_and_unknown_elements(scene_root):
    ids = {g.get("data-id") for g in groups(scene_root)}
    assert not ids & {"discarded-box", "discarded-note", "demo-video"}
    assert not any("DELETED" in text for text in all_text(scene_root))


def test_scene_contains_every_line_of_every_text(scene_root):
    texts = all_text(scene_root)
    for line in [
        "Clients",
        "(web, app)",
        "Two-tower",
        "retrieval (ANN)",
        "Ranker (DCN)",
        "Cache",
        "hit?",
        "HTTPS",
        "Offline: NDCG@10, recall@100",
        "Online: A/B test on watch time",
        "Guardrails: p99 latency < 200 ms",
        "Feature store",
    ]:
        assert line in texts


def test_scene_viewbox_covers_live_elements_with_rotation_plus_padding(scene_root):
    # min x 40 (clients box, divider, note); min y 50 (ranker ellipse); max y 515 (note bottom);
    # max x: the 140x60 feature-store box turned 30 degrees about (890, 280) reaches
    # 890 + 70 cos 30 + 30 sin 30 = 965.62. Deleted and unknown elements far away do not count.
    assert scene_root.get("viewBox") == "20 30 965.62 505"
    assert (scene_root.get("width"), scene_root.get("height")) == ("965.62", "505")


def test_scene_rotated_element_turns_about_its_centre(scene_root):
    assert group(scene_root, "feature-store-box").get("transform") == "rotate(30 890 280)"
    assert group(scene_root, "feature-store-label").get("transform") == "rotate(30 890 280)"
    assert group(scene_root, "clients-box").get("transform") is None


def test_scene_rounded_rectangle_gets_excalidraw_corner_radius(scene_root):
    # Adaptive roundness on an 80-high box: a quarter of the short side.
    assert group(scene_root, "clients-box").find("svg:rect", NS).get("rx") == "20"
    assert group(scene_root, "retrieval-box").find("svg:rect", NS).get("rx") is None


def test_scene_fills_follow_background_and_fill_style(scene_root):
    solid = group(scene_root, "clients-box").find("svg:rect", NS)
    hatched = group(scene_root, "retrieval-box").find("svg:rect", NS)
    assert (solid.get("fill"), solid.get("fill-opacity")) == ("#a5d8ff", None)
    assert (hatched.get("fill"), hatched.get("fill-opacity")) == ("#ffec99", "0.35")
    assert group(scene_root, "feature-store-box").find("svg:rect", NS).get("fill") == "none"


def test_scene_arrows_curve_or_stay_elbowed_and_carry_their_heads(scene_root):
    curved = group(scene_root, "arrow-retrieval-ranker")
    assert curved.find("svg:path", NS) is not None
    assert curved.find("svg:circle", NS) is not None  # start "dot"
    assert curved.find("svg:polygon", NS) is not None  # end "triangle"
    elbow = group(scene_root, "arrow-ranker-cache")
    body, head = elbow.findall("svg:polyline", NS)
    assert body.get("points") == "690,151 690,295 481,295"
    assert "481,295" in head.get("points")  # the head's tip is the last point


def test_scene_dashed_line_is_dashed(scene_root):
    line = group(scene_root, "offline-online-divider").find("svg:polyline", NS)
    assert line.get("stroke-dasharray") == "8 10"
    assert line.get("points") == "40,420 780,420"


def test_scene_bound_text_uses_its_own_position_and_alignment(scene_root):
    text = group(scene_root, "clients-label").find("svg:text", NS)
    first, second = text.findall("svg:tspan", NS)
    assert text.get("text-anchor") == "middle"
    assert first.get("x") == second.get("x") == "120"  # 70.5 + 99 / 2
    assert float(second.get("y")) - float(first.get("y")) == 25  # 20 px font, 1.25 line height


def test_scene_output_references_nothing_outside_itself(scene_root):
    fetching = {"image", "use", "a", "style", "foreignObject", "script", "iframe", "link"}
    for node in scene_root.iter():
        assert node.tag.split("}")[-1] not in fetching
        for name, value in node.attrib.items():
            assert "href" not in name
            if name != "data-id":  # ids are user data, shown nowhere
                assert "http" not in value.lower() and "url(" not in value.lower()


# --- edge cases --------------------------------------------------------------------------------


def test_empty_scene_renders_a_small_svg_saying_so():
    root = parse(render_scene_svg([]))
    assert root.get("viewBox") == "0 0 320 80"
    assert "empty" in "".join(root.itertext())
    assert groups(root) == []


def test_scene_with_only_deleted_or_unknown_elements_counts_as_empty():
    svg = render_scene_svg([rect(isDeleted=True), {"type": "iframe", "x": 0, "y": 0}])
    assert "The whiteboard is empty." in svg


def test_script_in_text_stays_text_and_never_becomes_markup():
    evil = '<script>alert("x")</script>'
    elements = [
        {
            "id": '"><script>alert(1)</script>',
            "type": "text",
            "x": 0,
            "y": 0,
            "width": 300,
            "height": 25,
            "text": evil,
            "fontSize": 20,
        },
        {
            "type": "frame",
            "name": "</svg><script>alert(2)</script>",
            "x": 0,
            "y": 50,
            "width": 100,
            "height": 100,
        },
    ]
    svg = render_scene_svg(elements)
    root = parse(svg)
    assert "<script" not in svg
    assert not list(root.iter(f"{{{SVG_NAMESPACE}}}script"))
    assert evil in all_text(root)
    assert "</svg><script>alert(2)</script>" in "".join(root.itertext())


def test_colours_that_are_not_colours_are_replaced():
    svg = render_scene_svg(
        [rect(strokeColor="url(https://evil.example/x)", backgroundColor="red;} svg{x:1")]
    )
    shape = parse(svg).find("svg:g/svg:rect", NS)
    assert (shape.get("stroke"), shape.get("fill")) == ("#1e1e1e", "none")
    assert "evil" not in svg


def test_characters_xml_cannot_hold_are_dropped_so_output_still_parses():
    svg = render_scene_svg(
        [{"type": "text", "x": 0, "y": 0, "width": 50, "height": 25, "text": "a\x00b\x0bc"}]
    )
    assert all_text(parse(svg)) == ["abc"]


def test_rotation_by_a_right_angle_swaps_the_bounds():
    root = parse(render_scene_svg([rect(angle=math.pi / 2)]))
    # Centre (50, 25); turned, the box spans x 25..75 and y -25..75; padding 20.
    assert root.get("viewBox") == "5 -45 90 140"
    assert group(root, "r").get("transform") == "rotate(90 50 25)"


def test_deleted_elements_do_not_widen_the_viewbox():
    alone = parse(render_scene_svg([rect()])).get("viewBox")
    with_deleted = parse(
        render_scene_svg([rect(), rect(id="gone", x=-900, y=900, isDeleted=True)])
    ).get("viewBox")
    assert alone == with_deleted == "-20 -20 140 90"


def test_padding_is_configurable():
    assert parse(render_scene_svg([rect()], padding=0)).get("viewBox") == "0 0 100 50"


def test_negative_width_and_height_are_normalised():
    root = parse(render_scene_svg([rect(x=100, y=50, width=-100, height=-50)], padding=0))
    assert root.get("viewBox") == "0 0 100 50"
    assert group(root, "r").find("svg:rect", NS).get("x") == "0"


def test_elements_with_broken_geometry_are_skipped_not_fatal():
    elements = [
        rect(id="ok"),
        rect(id="nan", x=float("nan")),
        rect(id="str", y="10"),
        {"id": "nopoints", "type": "arrow", "x": 0, "y": 0, "points": []},
        {"id": "badpoint", "type": "line", "x": 0, "y": 0, "points": [[0, 0], ["a", 1]]},
        {"id": "notext", "type": "text", "x": 0, "y": 0, "text": None},
    ]
    root = parse(render_scene_svg(elements))
    assert [g.get("data-id") for g in groups(root)] == ["ok"]


def test_elements_are_drawn_in_fractional_index_order_when_all_have_one():
    elements = [
        rect(id="top", index="a2"),
        rect(id="bottom", index="a0"),
        rect(id="mid", index="a1"),
    ]
    assert [g.get("data-id") for g in groups(parse(render_scene_svg(elements)))] == [
        "bottom",
        "mid",
        "top",
    ]
    elements[0]["index"] = None  # mixed: keep the stored order
    assert [g.get("data-id") for g in groups(parse(render_scene_svg(elements)))] == [
        "top",
        "bottom",
        "mid",
    ]


def test_opacity_below_full_is_applied_to_the_element():
    root = parse(render_scene_svg([rect(opacity=40)]))
    assert group(root, "r").get("opacity") == "0.4"


@pytest.mark.parametrize(
    ("align", "anchor", "x"),
    [("left", "start", "10"), ("center", "middle", "60"), ("right", "end", "110")],
)
def test_text_alignment_sets_anchor_and_x(align, anchor, x):
    element = {
        "id": "t",
        "type": "text",
        "x": 10,
        "y": 0,
        "width": 100,
        "height": 50,
        "text": "one\n\nthree",
        "fontSize": 16,
        "textAlign": align,
    }
    text = group(parse(render_scene_svg([element])), "t").find("svg:text", NS)
    spans = text.findall("svg:tspan", NS)
    assert text.get("text-anchor") == anchor
    assert [s.text for s in spans] == ["one", "three"]  # the blank line keeps its space
    assert {s.get("x") for s in spans} == {x}
    assert float(spans[1].get("y")) - float(spans[0].get("y")) == 2 * 16 * 1.25


def test_arrow_end_head_points_along_the_last_segment():
    arrow = {
        "id": "a",
        "type": "arrow",
        "x": 0,
        "y": 0,
        "points": [[0, 0], [100, 0]],
        "endArrowhead": "arrow",
        "startArrowhead": None,
    }
    body, head = group(parse(render_scene_svg([arrow])), "a").findall("svg:polyline", NS)
    barbs = [tuple(map(float, p.split(","))) for p in head.get("points").split()]
    assert barbs[1] == (100, 0)
    assert barbs[0][0] < 100 and barbs[2][0] < 100  # barbs trail behind the tip
    assert barbs[0][1] == -barbs[2][1] != 0


def test_line_marked_polygon_is_closed_and_filled():
    line = {
        "id": "l",
        "type": "line",
        "x": 0,
        "y": 0,
        "polygon": True,
        "backgroundColor": "#ffc9c9",
        "points": [[0, 0], [50, 0], [25, 40], [0, 0]],
    }
    shape = group(parse(render_scene_svg([line])), "l").find("svg:polygon", NS)
    assert shape.get("fill") == "#ffc9c9"


def test_label_on_an_arrow_gets_a_background_box_but_shape_labels_do_not(scene_root):
    label = group(scene_root, "https-label")
    mask = label[0]
    assert mask.tag == f"{{{SVG_NAMESPACE}}}rect" and mask.get("fill") == "#ffffff"
    assert (mask.get("x"), mask.get("width")) == ("218.5", "63")  # text box widened by 4 each side
    assert group(scene_root, "clients-label").find("svg:rect", NS) is None
