"""A tool's actions (drivers/README.md, "Server driver"), run in order by the Python server driver.

Inline for a plain tools/call, or as `run_task`'s background work for a task-augmented one; the
SDK's task context (`ServerTaskContext`) does what a task needs: status, elicitation and sampling
delivered through `tasks/result`, failure. Server→client tasks are in server_client_tasks.py.
"""

from __future__ import annotations

from typing import Any

import anyio
import mcp.types as types
from mcp.server.experimental.task_context import ServerTaskContext
from mcp.server.session import ServerSession

from driver_common import log, render
from server_client_tasks import request_client_task

SLICE_S = 0.01  # how often sleep/waitForCancel look at the task's cancellation flag


class Stop(Exception):
    """Internal: the task was cancelled, stop running the tool's actions."""


async def run_actions(
    tool: dict[str, Any],
    scope: dict[str, Any],
    session: ServerSession,
    token: str | int | None,
    *,
    task: ServerTaskContext | None,
    request_id: Any,
) -> types.CallToolResult:
    """Runs the tool's actions in order; returns the CallToolResult the tool ends with."""
    task_id = task.task_id if task else None
    try:
        for action in tool["actions"]:
            kind = action["kind"]
            log("action", kind=kind, taskId=task_id, tool=tool["name"])
            if kind == "sleep":
                await sleep_unless_cancelled(action["sleep"], task)
            elif kind == "progress":
                if token is None:
                    log("progress-skipped", reason="no progressToken in the request", taskId=task_id)
                    continue
                await session.send_progress_notification(
                    token,
                    action["progress"],
                    action.get("total"),
                    action.get("message"),
                    # inline: on the request's own stream; a task's request has been answered already
                    related_request_id=str(request_id) if request_id is not None else None,
                )
            elif kind == "status":
                if task is None:
                    log("status-skipped", reason="not a task")
                    continue
                await task.update_status(action["status"])
            elif kind == "elicit":
                answer: types.ElicitResult
                if task is not None:
                    answer = await task.elicit(action["elicit"], action["requestedSchema"])
                else:
                    answer = await session.elicit_form(
                        action["elicit"], action["requestedSchema"], related_request_id=request_id
                    )
                scope[action.get("as", "elicitation")] = answer.model_dump(
                    by_alias=True, mode="json", exclude_none=True
                )
                log("elicit-answer", taskId=task_id, action=answer.action)
            elif kind == "sample":
                messages = [
                    types.SamplingMessage(role="user", content=types.TextContent(type="text", text=action["sample"]))
                ]
                max_tokens = action.get("maxTokens", 100)
                sampled: types.CreateMessageResult
                if task is not None:
                    sampled = await task.create_message(messages, max_tokens=max_tokens)
                else:
                    sampled = await session.create_message(
                        messages, max_tokens=max_tokens, related_request_id=request_id
                    )
                scope[action.get("as", "sampling")] = sampled.model_dump(by_alias=True, mode="json", exclude_none=True)
                log("sample-answer", taskId=task_id)
            elif kind in ("elicitTask", "sampleTask"):
                scope[action["as"]] = await request_client_task(action, session, task)
                log("client-task-answer", kind=kind, taskId=task_id)
            elif kind == "complete":
                body: dict[str, Any] = {"content": render(action["complete"], scope)}
                if "structuredContent" in action:
                    body["structuredContent"] = render(action["structuredContent"], scope)
                return types.CallToolResult.model_validate(body)
            elif kind == "fail":
                content = render(action["fail"], scope)
                result = types.CallToolResult.model_validate({"content": content, "isError": True})
                if task is not None:
                    # The SDK documents no way to end a task `failed` WITH a result: fail(error)
                    # only sets status and statusMessage (no stored result), and returning an
                    # isError result from run_task's work ends the task `completed`. Closest
                    # documented: fail(); run_task then skips its auto-complete.
                    message = action.get("statusMessage") or " ".join(
                        c.get("text", "") for c in content if isinstance(c, dict)
                    )
                    await task.fail(message)
                return result
            elif kind == "throw":
                raise RuntimeError(action["throw"])
            elif kind == "waitForCancel":
                await wait_for_cancel(action["waitForCancel"], action.get("cleanupMs", 0), task)
            else:  # pragma: no cover - the input was validated against the vocabulary
                raise ValueError(f"unknown action kind {kind!r}")
    except Stop:
        log("stopped", reason="task cancelled", taskId=task_id)
        return types.CallToolResult(content=[])
    return types.CallToolResult(content=[])


async def sleep_unless_cancelled(ms: int, task: ServerTaskContext | None) -> None:
    if task is None:
        await anyio.sleep(ms / 1000)
        return
    deadline = anyio.current_time() + ms / 1000
    while True:
        if task.is_cancelled:
            raise Stop()
        left = deadline - anyio.current_time()
        if left <= 0:
            return
        await anyio.sleep(min(SLICE_S, left))


async def wait_for_cancel(ms: int, cleanup_ms: int, task: ServerTaskContext | None) -> None:
    if task is None:
        # Nothing to cancel but the request itself (notifications/cancelled cancels this handler).
        await anyio.sleep(ms / 1000)
        return
    deadline = anyio.current_time() + ms / 1000
    while anyio.current_time() < deadline:
        if task.is_cancelled:
            if cleanup_ms > 0:
                # The scenario's clean-up: the work goes on a while after the cancellation.
                log("cleanup", taskId=task.task_id, ms=cleanup_ms)
                await anyio.sleep(cleanup_ms / 1000)
            raise Stop()
        await anyio.sleep(SLICE_S)
    log("waitForCancel-timeout", taskId=task.task_id, ms=ms)
