"""POST /codegen-hero/complete: the JupyterLab side of ghost text, behind Jupyter's login."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from codegen_hero.lab.suggest import Suggester
from codegen_hero.models.errors import HeroError

ROUTE = "codegen-hero/complete"


class CompleteHandler(APIHandler):
    auth_resource = "codegen-hero"

    def initialize(self, suggester: Suggester) -> None:
        self.suggester = suggester

    @web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
            reply = await self.suggester.suggest(body)
        except ValueError as exc:  # json.JSONDecodeError is one too
            self._fail(400, f"bad request: {exc}")
        except HeroError as exc:
            self._fail(503, str(exc))
        except Exception as exc:  # a crash in the model must not take the editor down
            self.log.exception("codegen-hero: suggestion failed")
            self._fail(500, f"{type(exc).__name__}: {exc}")
        else:
            self.finish(json.dumps(reply))

    def _fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.finish(json.dumps({"error": " ".join(message.split())}))


def setup_handlers(web_app: Any) -> None:
    route = url_path_join(web_app.settings["base_url"], ROUTE)
    web_app.add_handlers(".*$", [(route, CompleteHandler, {"suggester": Suggester()})])
