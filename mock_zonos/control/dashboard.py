"""The dashboard: one hand-written page and its assets, served from the package itself.

Nothing it loads comes from elsewhere (no CDN, no build step), so it works
offline; the README it links to is served here too.
"""

from __future__ import annotations

from aiohttp import web

from ..domain.errors import NotFound
from ..resources import schema_path, static_directory

STATIC_DIR = static_directory()
# Only these names are served, so no request path can reach outside the directory.
ASSETS = frozenset(path.name for path in STATIC_DIR.iterdir() if path.is_file())
# The browser revalidates (a cheap 304) instead of running last version's scripts.
_REVALIDATE = {"Cache-Control": "no-cache"}


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers=_REVALIDATE)


async def asset(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    if name not in ASSETS:
        raise NotFound(f"the dashboard has no file {name!r}")
    return web.FileResponse(STATIC_DIR / name, headers=_REVALIDATE)


async def readme(request: web.Request) -> web.Response:
    """The README as Markdown text; the page shows it a section at a time."""
    return web.Response(text=readme_text(), content_type="text/markdown")


def readme_text() -> str:
    # A checkout has README.md beside schema.graphql; an installed wheel carries
    # the README only as its package description.
    checkout = schema_path().parent / "README.md"
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    # Imported here: it costs start-up a few milliseconds, for a page few ever open.
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        description = metadata("mock-zonos").json.get("description", "")
    except PackageNotFoundError:
        description = ""
    return str(description) or "The README is not part of this installation."
