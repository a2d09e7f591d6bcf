"""Administration: users (with a password for the web UI) and grants on datasets.

`POST /users` returns the new user's first API token, once; it is never stored in
the clear and cannot be shown again. With `password`, the user can also sign in to
the web UI (`POST /login`).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from threadline.access.passwords import check_strength
from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import GrantIn, GrantOut, NewUserOut, UserIn, UserOut

router = APIRouter(tags=["admin"], responses=responses())


@router.post("/users", response_model=NewUserOut, status_code=201)
def user_add(bench: Bench, body: UserIn) -> NewUserOut:
    """`Workbench.user_add(name, role)` (admins only), and the password if given."""
    if body.password is not None:
        check_strength(body.password)  # before the user exists, so a weak one adds nobody
    added = bench.user_add(body.name, body.role)
    if body.password is not None:
        bench.user_password(body.name, body.password)
    user = UserOut.of(added.user)
    return NewUserOut(**user.model_dump(by_alias=True), token=added.token)


@router.get("/users", response_model=list[UserOut])
def user_list(bench: Bench) -> list[UserOut]:
    """`Workbench.user_list()` (admins only)."""
    return [UserOut.of(u) for u in bench.user_list()]


@router.post("/grants", status_code=204)
def grant(bench: Bench, body: GrantIn) -> Response:
    """`Workbench.grant(holder, dataset, level)`: needs `manage` on the dataset; a
    null level revokes."""
    bench.grant(body.holder, body.dataset, body.level)
    return Response(status_code=204)


@router.get("/grants", response_model=list[GrantOut])
def grants(bench: Bench) -> list[GrantOut]:
    """`Workbench.grants()` (admins only)."""
    return [GrantOut.of(g) for g in bench.grants()]
