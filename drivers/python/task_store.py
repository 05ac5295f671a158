"""The task store of both Python drivers: the SDK's InMemoryTaskStore with a scenario's ttl policy and pollInterval.

The server driver uses it as the store of `server.experimental.enable_tasks(store=...)`; the client
driver, as a task receiver (`client.tasks`), as the store its ExperimentalTaskHandlers serve. Only
creation changes; storage, expiry (lazy, on access), transitions and errors stay the SDK's.
"""

from __future__ import annotations

from typing import Any

import mcp.types as types
from mcp.shared.experimental.tasks.in_memory_task_store import InMemoryTaskStore

from driver_common import log


def ttl_for(policy: dict[str, Any], requested: int | None) -> int | None:
    """The vocabulary's TtlPolicy: the requested ttl capped at `max` when honoured, else `default` (None: unlimited)."""
    if policy.get("honourRequested", True) and requested is not None:
        cap = policy.get("max")
        return min(requested, cap) if cap is not None else requested
    default: int | None = policy.get("default")
    return default


class ScenarioTaskStore(InMemoryTaskStore):
    """InMemoryTaskStore whose new tasks get the scenario's ttl and pollInterval.

    `TaskStore` is the SDK's documented extension point ("Custom TaskStore implementation"), and
    neither `run_task` nor the client's handlers take a ttl or pollInterval.

    PRIVATE: the SDK hard-codes pollInterval=500 in `create_task_state` and offers no parameter,
    so the stored Task's pollInterval is set through InMemoryTaskStore's private `_tasks` dict
    (unchanged from mcp 1.23.0 to 1.30.0).
    """

    def __init__(self, ttl_policy: dict[str, Any], poll_interval: int, *, owner: str) -> None:
        super().__init__()
        self._policy = ttl_policy
        self._poll_interval = poll_interval
        self._owner = owner

    async def create_task(self, metadata: types.TaskMetadata, task_id: str | None = None) -> types.Task:
        ttl = ttl_for(self._policy, metadata.ttl)
        task = await super().create_task(types.TaskMetadata(ttl=ttl), task_id)
        self._tasks[task.taskId].task.pollInterval = self._poll_interval  # private, see class doc
        task.pollInterval = self._poll_interval
        log(
            "task-created",
            owner=self._owner,
            taskId=task.taskId,
            requestedTtl=metadata.ttl,
            ttl=ttl,
            pollInterval=self._poll_interval,
        )
        return task
