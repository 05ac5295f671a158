"""Server→client tasks (actions `elicitTask`, `sampleTask`) through the Python SDK's server API.

- Inside `run_task` (the tool call is itself a task): `task.elicit_as_task` / `task.create_message_as_task`.
  The SDK sets the server's task `input_required`, queues the task-augmented request for the
  requestor's next `tasks/result` (with related-task `_meta`), then polls the client's task with
  `tasks/get` at its pollInterval and fetches the answer with `tasks/result`.
- In a plain tool call: `ctx.session.experimental.elicit_as_task` / `create_message_as_task`: the
  same flow, the request sent directly (over HTTP on the GET stream: no related request).

`cancelAfterMs`: the SDK has no API to cancel a task on the client, and its one-call helpers above
never expose the client's task id. So, only with `cancelAfterMs`, the driver makes the same
request with the session's public generic `send_request` (the very `ServerRequest` the helper
builds, after the helper's own capability check), polls with the SDK's
`session.experimental.poll_task`, and sends `tasks/cancel` as a `ServerRequest(CancelTaskRequest)`:
a member of the SDK's typed request union, built and validated by the SDK, so the wire carries
nothing the SDK would not. In a task, that request goes out directly (not queued), and the
server's own task stays `working`: only the SDK's queued helpers move it (as the TS driver does).
"""

from __future__ import annotations

from typing import Any

import anyio
import mcp.types as types
from mcp.server.experimental.task_context import ServerTaskContext
from mcp.server.session import ServerSession
from mcp.shared.exceptions import McpError
from mcp.shared.experimental.tasks.capabilities import (
    require_task_augmented_elicitation,
    require_task_augmented_sampling,
)
from mcp.shared.experimental.tasks.helpers import is_terminal

from driver_common import describe_exception, log


def _as_json(model: types.Result) -> dict[str, Any]:
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


def _messages(action: dict[str, Any]) -> list[types.SamplingMessage]:
    return [types.SamplingMessage(role="user", content=types.TextContent(type="text", text=action["sampleTask"]))]


async def request_client_task(
    action: dict[str, Any], session: ServerSession, task: ServerTaskContext | None
) -> dict[str, Any]:
    """Runs the action to its end; returns what templates keep under `as` (the client's answer,
    or with `cancelAfterMs` the Task tasks/cancel returned). SDK errors propagate (the tool fails)."""
    if action.get("cancelAfterMs") is not None:
        return await _request_then_cancel(action, session)
    ttl: int = action["ttl"]
    if action["kind"] == "elicitTask":
        schema: dict[str, Any] = action["requestedSchema"]
        if task is not None:
            elicited = await task.elicit_as_task(action["elicitTask"], schema, ttl=ttl)
        else:
            elicited = await session.experimental.elicit_as_task(action["elicitTask"], schema, ttl=ttl)
        return _as_json(elicited)
    max_tokens: int = action["maxTokens"]
    if task is not None:
        sampled = await task.create_message_as_task(_messages(action), max_tokens=max_tokens, ttl=ttl)
    else:
        sampled = await session.experimental.create_message_as_task(_messages(action), max_tokens=max_tokens, ttl=ttl)
    return _as_json(sampled)


def _augmented_request(action: dict[str, Any], session: ServerSession) -> types.ServerRequest:
    """What `session.experimental.elicit_as_task` / `create_message_as_task` send, after their capability check."""
    caps = session.client_params.capabilities if session.client_params else None
    task = types.TaskMetadata(ttl=action["ttl"])
    if action["kind"] == "elicitTask":
        require_task_augmented_elicitation(caps)
        return types.ServerRequest(
            types.ElicitRequest(
                params=types.ElicitRequestFormParams(
                    message=action["elicitTask"], requestedSchema=action["requestedSchema"], task=task
                )
            )
        )
    require_task_augmented_sampling(caps)
    return types.ServerRequest(
        types.CreateMessageRequest(
            params=types.CreateMessageRequestParams(
                messages=_messages(action), maxTokens=action["maxTokens"], task=task
            )
        )
    )


async def _request_then_cancel(action: dict[str, Any], session: ServerSession) -> dict[str, Any]:
    created = await session.send_request(_augmented_request(action, session), types.CreateTaskResult)
    client_task_id = created.task.taskId
    cancel_at = anyio.current_time() + action["cancelAfterMs"] / 1000
    log("client-task-created", clientTaskId=client_task_id, status=created.task.status)
    cancelled: list[types.CancelTaskResult] = []
    sending = anyio.Event()

    async def cancel_later() -> None:
        await anyio.sleep(max(0.0, cancel_at - anyio.current_time()))
        sending.set()
        request = types.ServerRequest(
            types.CancelTaskRequest(params=types.CancelTaskRequestParams(taskId=client_task_id))
        )
        try:
            cancelled.append(await session.send_request(request, types.CancelTaskResult))
            log("client-task-cancelled", clientTaskId=client_task_id, status=cancelled[0].status)
        except McpError as e:
            # Too late (the client's task had ended) or refused: the task's own outcome stands.
            log("client-task-cancel-failed", clientTaskId=client_task_id, error=describe_exception(e))

    last: list[types.GetTaskResult] = []
    failure: Exception | None = None  # re-raised as it is, not wrapped in an exception group
    async with anyio.create_task_group() as tg:
        tg.start_soon(cancel_later)
        try:
            # The SDK's poller: tasks/get at the client task's pollInterval until a terminal status.
            async for status in session.experimental.poll_task(client_task_id):
                last[:] = [status]
        except Exception as e:
            failure = e
        if not sending.is_set():
            tg.cancel_scope.cancel()  # the client's task ended before the cancel was due
    if failure is not None:
        raise failure
    if cancelled:
        return _as_json(cancelled[0])
    if last and is_terminal(last[0].status) and last[0].status != "cancelled":
        elicit = action["kind"] == "elicitTask"
        result_type: type[types.Result] = types.ElicitResult if elicit else types.CreateMessageResult
        return _as_json(await session.experimental.get_task_result(client_task_id, result_type))
    return {"status": last[0].status if last else None}
