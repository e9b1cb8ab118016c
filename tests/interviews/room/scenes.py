"""Excalidraw elements as the 0.18 editor sends them (trimmed to the usual fields)."""

import random


def element(
    element_id: str,
    version: int = 1,
    nonce: int | None = None,
    *,
    kind="rectangle",
    deleted=False,
    **extra,
) -> dict:
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
        base.update(
            text=extra.pop("text", "feature store"),
            fontSize=20,
            fontFamily=5,
            textAlign="left",
            verticalAlign="top",
            containerId=None,
            originalText=base.get("text"),
            autoResize=True,
            lineHeight=1.25,
        )
    base.update(extra)
    return base
