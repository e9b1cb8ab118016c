"""The browser app is served from / : index.html for client-side routes, hashed assets cached
for good, and no swallowing of API, admin or asset misses."""

import gzip

import pytest
from django.test import Client, override_settings

APP_JS = b"console.log('app');\n" * 200


@pytest.fixture
def built_app(tmp_path):
    """A stand-in for frontend/dist, wired up as the real build is (WhiteNoise root + view)."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-CIPDA_FV.js").write_bytes(APP_JS)
    (tmp_path / "assets" / "index-CIPDA_FV.js.gz").write_bytes(gzip.compress(APP_JS))
    (tmp_path / "excalidraw" / "fonts").mkdir(parents=True)
    (tmp_path / "excalidraw" / "fonts" / "Virgil.woff2").write_bytes(b"wOF2")
    with override_settings(FRONTEND_DIST=tmp_path, WHITENOISE_ROOT=tmp_path):
        yield Client()


@pytest.mark.parametrize(
    "path", ["/", "/login", "/sessions/8a1c/", "/sessions/8a1c/report", "/invite/abc"]
)
def test_client_side_routes_get_index_html_uncached(built_app, path):
    response = built_app.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"<div id=root>" in response.content
    assert response["Cache-Control"] == "no-cache"


def test_hashed_assets_are_served_with_long_lived_caching(built_app):
    response = built_app.get("/assets/index-CIPDA_FV.js")
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == APP_JS


def test_assets_are_sent_gzipped_to_browsers_that_accept_it(built_app):
    response = built_app.get("/assets/index-CIPDA_FV.js", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == APP_JS


def test_excalidraw_fonts_are_served_from_the_own_origin(built_app):
    response = built_app.get("/excalidraw/fonts/Virgil.woff2")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/no-such-endpoint/",
        "/assets/missing-12345678.js",
        "/excalidraw/fonts/nope.woff2",
        "/static/nope.css",
    ],
)
def test_misses_outside_the_app_stay_404(built_app, path):
    response = built_app.get(path)
    assert response.status_code == 404
    assert b"<div id=root>" not in response.content


def test_unsafe_methods_are_not_answered_with_the_app(built_app):
    assert built_app.post("/sessions/8a1c").status_code in (403, 405)


def test_missing_build_says_how_to_build(tmp_path):
    with override_settings(FRONTEND_DIST=tmp_path / "absent", WHITENOISE_ROOT=None):
        response = Client().get("/library")
    assert response.status_code == 503
    assert b"npm run build" in response.content
