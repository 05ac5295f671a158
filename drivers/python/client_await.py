"""awaitTask for the Python client: the SDK's documented manual flow, since it has no one-call flow.

docs/experimental/tasks-client.md: `call_tool_as_task` (or the low-level request for `task: {}`),
then `async for status in session.experimental.poll_task(id)` (the SDK's own poller, so `polledBy:
sdk`), and `get_task_result` on `input_required` (it delivers the queued input requests and blocks
until the task ends) or once the poller stops at a terminal status. `polls` are the
CreateTaskResult's status and every status the poller yielded; `task` is the last Task seen.

`augment: auto`: the Python SDK never adds `task` by itself (`session.call_tool` sends a plain
call), so the driver applies TS callToolStream's rule (SessionState.sdk_would_augment) and makes
a plain `call_tool` otherwise. `cancelAfterMs`: `cancel_task` from a task of the driver's own,
concurrently with the flow (never from an SDK callback).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from mcp import ClientSession

from client_calls import (
    TERMINAL,
    SessionState,
    call_task_sent,
    create_task,
    get_payload,
    plain_call_sent,
    progress_token,
    sdk_poller,
)
from driver_common import describe_exception, dump, log, now_ms

Remember = Callable[[str | None, str | None], None]
# Where the flow stops polling: a terminal status (poll_task stops there too), or input_required
# (tasks/result then delivers the input requests).
STOP_AT = ("input_required", *TERMINAL)


async def await_task(state: SessionState, step: dict[str, Any], rec: dict[str, Any], remember: Remember) -> None:
    session = state.session
    name, arguments, ttl = step["awaitTask"], step.get("arguments", {}), step.get("ttl")
    token = progress_token(rec)
    rec["polledBy"] = "sdk"

    if step.get("augment") == "auto" and not state.sdk_would_augment(name):
        rec["created"] = False
        rec["sent"].append(plain_call_sent(name, arguments, token))
        rec["result"] = dump(await session.call_tool(name, arguments, meta={"progressToken": token}))
        return

    rec["sent"].append(call_task_sent(name, arguments, ttl, token))
    created = await create_task(session, name, arguments, ttl, token)
    task_id = created.task.taskId
    rec.update(created=True, taskId=task_id, task=dump(created.task))
    rec["polls"] = [{"at": now_ms(), "status": created.task.status}]
    remember(step.get("as"), task_id)
    cancel_at = anyio.current_time() + step["cancelAfterMs"] / 1000 if step.get("cancelAfterMs") is not None else None
    cancelling = anyio.Event()

    async def cancel_later(at: float) -> None:
        await anyio.sleep(max(0.0, at - anyio.current_time()))
        cancelling.set()
        rec["sent"].append({"method": "tasks/cancel", "params": {"taskId": task_id}})
        try:
            cancelled = await session.experimental.cancel_task(task_id)
            log("cancelled", taskId=task_id, status=cancelled.status)
        except Exception as e:  # recorded in the log; the flow reports what it sees
            log("cancel-failed", taskId=task_id, error=describe_exception(e))

    # The flow runs in the group's host task; its errors are re-raised as they are, not wrapped
    # in an exception group.
    failure: Exception | None = None
    async with anyio.create_task_group() as tg:
        if cancel_at is not None:
            tg.start_soon(cancel_later, cancel_at)
        try:
            await _flow(session, task_id, created.task.status, rec)
        except Exception as e:
            failure = e
        if not cancelling.is_set():
            tg.cancel_scope.cancel()  # the flow ended before the cancel was due
    if failure is not None:
        raise failure


async def _flow(session: ClientSession, task_id: str, status: str, rec: dict[str, Any]) -> None:
    """Poll with the SDK's poller until input_required or terminal, then tasks/result."""
    if status not in STOP_AT:
        polls = sdk_poller(session, task_id)
        try:
            while True:
                rec["sent"].append({"method": "tasks/get", "params": {"taskId": task_id}})
                got = await polls.__anext__()
                rec["polls"].append({"at": now_ms(), "status": got.status})
                rec["task"] = dump(got)
                if got.status in STOP_AT:
                    break
        finally:
            await polls.aclose()
    rec["sent"].append({"method": "tasks/result", "params": {"taskId": task_id}})
    rec["result"] = dump(await get_payload(session, task_id))
