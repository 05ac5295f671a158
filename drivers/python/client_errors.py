"""How the Python client driver records a failed step: the contract's ObservedError."""

from __future__ import annotations

from typing import Any

import mcp.types as types
from mcp.shared.exceptions import McpError
from pydantic import ValidationError

from driver_common import describe_exception

# Errors the SDK makes up itself, without a JSON-RPC error on the wire: pending requests when the
# transport closes, and (Streamable HTTP) any request answered with HTTP 404.
SDK_LOCAL_ERRORS = {
    (types.CONNECTION_CLOSED, "Connection closed"),  # mcp.shared.session, transport closed
    (32600, "Session terminated"),  # mcp.client.streamable_http, HTTP 404 (sic: positive code)
}


class LocalFailure(Exception):
    """A step that fails in the driver, without a request (e.g. an alias without a task id)."""


def observed_error(e: BaseException) -> dict[str, Any]:
    """{code, message, data?, local?} as the contract's ObservedError."""
    if isinstance(e, McpError):
        err: dict[str, Any] = {"code": e.error.code, "message": e.error.message}
        if e.error.data is not None:
            err["data"] = e.error.data
        # No wire code (null); the SDK's own code is kept as sdkCode (as the TS driver does).
        if (e.error.code, e.error.message) in SDK_LOCAL_ERRORS:
            err.update(code=None, local=True, sdkCode=e.error.code)
        return err
    if isinstance(e, TimeoutError):
        return {"code": None, "message": str(e) or "timed out", "local": True}
    if isinstance(e, ValidationError):
        # One line: pydantic's report spans several.
        detail = "; ".join(f"{'.'.join(map(str, err['loc'])) or '(result)'}: {err['msg']}" for err in e.errors())
        return {"code": None, "message": f"the SDK could not parse the response: {detail}", "local": True}
    if isinstance(e, LocalFailure):
        return {"code": None, "message": str(e), "local": True}
    return {"code": None, "message": describe_exception(e), "local": True}
