"""The merged problem tree of each group: a printable page (one tree per sheet) and CSV/JSON export."""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.accounts import audit
from bot.proposals import trees
from bot.web.exports import MEDIA_TYPES, to_csv, to_json
from bot.web.security import private
from bot.web.templating import render


def _tree(request: Request) -> trees.MergedTree:
    tree = trees.merged_tree(int(request.path_params["group_id"]), request.app.state.engine)
    if tree is None:
        raise HTTPException(404)
    return tree


@private("read")
def tree_page(request: Request) -> Response:
    return render(request, "stl/group_trees.html", {"trees": [_tree(request)], "single": True})


@private("read")
def all_trees(request: Request) -> Response:
    """Every group's tree on one page to print for a session of the tables."""
    return render(request, "stl/group_trees.html", {"trees": trees.all_trees(request.app.state.engine),
                                                    "single": False})


@private("export")
def tree_export(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise HTTPException(404)
    tree, user, engine = _tree(request), request.state.user, request.app.state.engine
    rows = trees.export_rows(tree)
    audit.record(user.username, "export_tree", f"grupo {tree.group_id}", f"{len(rows)} filas, {fmt}", engine)
    if fmt == "csv":
        body = to_csv(rows, trees.EXPORT_FIELDS)
    else:
        body = to_json(rows, {"grupo": tree.name, "propuestas": tree.proposals, "personas": tree.people,
                              "municipios": dict(tree.municipalities)})
    name = f"arbol-grupo-{tree.group_id}-{dt.date.today().isoformat()}.{fmt}"
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
