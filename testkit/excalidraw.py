"""Excalidraw elements as the 0.18 editor sends them (the usual fields), for tests and
benchmarks."""

import random


def element(
    element_id: str,
    version: int = 1,
    nonce: int | None = None,
    *,
    kind: str = "rectangle",
    deleted: bool = False,
    **extra,
) -> dict:
    """One element; `extra` overrides or adds fields. `kind="text"` takes `text=...`."""
    base = {
        "id": element_id,
        "type": kind,
        "x": 100.5,
        "y": 80.25,
        "width": 220,
        "height": 120,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "frameId": None,
        "roundness": {"type": 3},
        "seed": 1968410350,
        "version": version,
        "versionNonce": nonce if nonce is not None else random.randint(1, 2**31 - 1),
        "isDeleted": deleted,
        "boundElements": None,
        "updated": 1763776800000,
        "link": None,
        "locked": False,
    }
    if kind == "text":
        text = extra.pop("text", "feature store")
        base.update(
            text=text,
            originalText=text,
            fontSize=20,
            fontFamily=5,
            textAlign="left",
            verticalAlign="top",
            containerId=None,
            autoResize=True,
            lineHeight=1.25,
            roundness=None,
            width=8.0 * len(text),
            height=25,
        )
    base.update(extra)
    return base


def text_element(element_id: str, text: str, version: int = 1, nonce: int = 11, **extra) -> dict:
    return element(element_id, version, nonce, kind="text", text=text, **extra)
