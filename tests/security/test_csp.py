"""Content-Security-Policy on every HTML page: the browser app, the admin and the API docs.
Only the app's own origin, and no inline script anywhere (the pages themselves carry none)."""

import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PAGES = ["/", "/sessions/8a1c/report", "/admin/login/", "/api/docs/"]


@pytest.fixture
def built_app(tmp_path):
    (tmp_path / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index-x.js"></script>'
    )
    with override_settings(FRONTEND_DIST=tmp_path, WHITENOISE_ROOT=tmp_path):
        yield Client()


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_html_page_has_a_policy_of_its_own_origin_without_inline_script(built_app, path):
    response = built_app.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    # Same-origin websockets, explicitly for browsers that do not let 'self' cover ws:.
    assert policy["connect-src"] == ["'self'", "ws://testserver"]
    for sources in policy.values():
        for source in sources:
            assert source in {"'self'", "'none'", "'unsafe-inline'"} or (
                source in {"data:", "blob:", "ws://testserver"}
            ), source
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_hold_no_inline_script(built_app, path):
    html = built_app.get(path).content.decode()
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        executable = "type=" not in attrs or re.search(
            r"""type=["']?(module|text/javascript)""", attrs
        )
        if executable:
            assert "src=" in attrs and not body.strip(), f"inline script on {path}: {body[:200]}"
    assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler on {path}"


def test_the_websocket_origin_follows_the_scheme(built_app):
    response = built_app.get("/", secure=True)
    assert "wss://testserver" in directives(response["Content-Security-Policy"])["connect-src"]


def test_the_api_docs_load_their_init_script_from_the_same_origin(built_app):
    html = built_app.get("/api/docs/").content.decode()
    (src,) = re.findall(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html)
    script = built_app.get(src.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
    assert b"/api/schema/" in script.content


def test_api_responses_carry_the_policy_too(built_app):
    response = built_app.get("/api/framework/")
    assert "Content-Security-Policy" in response
