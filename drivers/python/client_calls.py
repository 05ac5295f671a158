"""One client session's state and the Python SDK calls several steps share (task creation, polling, tasks/result)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, cast

import mcp.types as types
from mcp import ClientSession

TERMINAL = ("completed", "failed", "cancelled")


@dataclass
class SessionState:
    """One client session: its SDK session, what initialize gave, and the last listTools' taskSupport per tool."""

    name: str
    session: ClientSession
    server_capabilities: types.ServerCapabilities | None = None
    tools: dict[str, str | None] = field(default_factory=dict)

    def sdk_would_augment(self, tool: str) -> bool:
        """`augment: auto`: the rule TS callToolStream applies (the Python SDK has no such flow):
        the server declares tasks.requests.tools.call and the last listTools showed the tool
        optional or required."""
        tasks = self.server_capabilities.tasks if self.server_capabilities else None
        tools = tasks.requests.tools if tasks and tasks.requests else None
        declares_call = tools is not None and tools.call is not None
        return declares_call and self.tools.get(tool) in ("optional", "required")


def progress_token(rec: dict[str, Any]) -> str:
    return f"progress-{rec['index']}"


async def create_task(
    session: ClientSession, name: str, arguments: dict[str, Any], ttl: int | None, token: str
) -> types.CreateTaskResult:
    """tools/call with `task: {ttl}` through call_tool_as_task; `task: {}` through the low-level request
    (call_tool_as_task always sends a ttl, 60000 by default)."""
    if ttl is not None:
        return await session.experimental.call_tool_as_task(name, arguments, ttl=ttl, meta={"progressToken": token})
    return await session.send_request(
        types.ClientRequest(
            types.CallToolRequest(
                params=types.CallToolRequestParams(
                    name=name,
                    arguments=arguments,
                    task=types.TaskMetadata(),
                    _meta=types.RequestParams.Meta(progressToken=token),
                )
            )
        ),
        types.CreateTaskResult,
    )


def call_task_sent(name: str, arguments: dict[str, Any], ttl: int | None, token: str) -> dict[str, Any]:
    task = {"ttl": ttl} if ttl is not None else {}
    params = {"name": name, "arguments": arguments, "task": task, "_meta": {"progressToken": token}}
    return {"method": "tools/call", "params": params}


def plain_call_sent(name: str, arguments: dict[str, Any], token: str) -> dict[str, Any]:
    return {"method": "tools/call", "params": {"name": name, "arguments": arguments, "_meta": {"progressToken": token}}}


def sdk_poller(session: ClientSession, task_id: str) -> AsyncGenerator[types.GetTaskResult, None]:
    """session.experimental.poll_task, an async generator typed as an AsyncIterator (closed explicitly by callers)."""
    return cast(AsyncGenerator[types.GetTaskResult, None], session.experimental.poll_task(task_id))


async def get_payload(session: ClientSession, task_id: str) -> types.GetTaskPayloadResult:
    """tasks/result. GetTaskPayloadResult (extra=allow) keeps whatever the payload is, instead of
    making a payload that is not a CallToolResult a parse error."""
    return await session.experimental.get_task_result(task_id, types.GetTaskPayloadResult)
