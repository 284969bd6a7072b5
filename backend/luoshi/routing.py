"""The routers of the API: FastAPI's, turning away at once a request outside their prefix.

FastAPI (0.163) matches a request against every route of every included router in turn, at
about 20,000 instructions a route, so a request for the thirtieth route paid for twenty-nine
others first (``/healthz``, after all of them, spent three quarters of its time there). No
route of a router can match a path outside its prefix, so such a path skips them all.
"""

from fastapi import APIRouter
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope


class Router(APIRouter):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self.prefix and not get_route_path(scope).startswith(self.prefix):
            return Match.NONE, {}
        return super().matches(scope)
