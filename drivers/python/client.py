"""Python SDK (`mcp`) client driver of the MCP Tasks interop harness.

    client.py --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
    client.py --scenario <file> --observations <out.jsonl> --transport http --url <url>

Opens one `ClientSession` per session of `client.sessions` (each its own transport; over HTTP its
own Mcp-Session-Id), performs the scenario's steps with the SDK's experimental task API
(`session.experimental.*`, docs/experimental/tasks-client.md), answers elicitation and sampling
with the scenario's canned answers (as tasks, too, when `client.tasks` makes it a task receiver),
and writes what it saw as observation records, one JSON line each, as things happen. The
contract is drivers/README.md; what differs per SDK release is in drivers/python/README.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from typing import Any

from driver_common import (
    EXIT_DRIVER_ERROR,
    EXIT_OK,
    ObservationWriter,
    arg_parser,
    describe_exception,
    dump,
    impl_label,
    load_input,
    log,
    now_ms,
    sdk_version,
    setup_logging,
    silence_sdk_deprecations,
    unsupported,
)

silence_sdk_deprecations()

import anyio  # noqa: E402
import mcp.types as types  # noqa: E402
from anyio.abc import TaskGroup  # noqa: E402
from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

try:
    from mcp.client.streamable_http import streamable_http_client
except ImportError:  # pragma: no cover - mcp 1.23.x
    # Import-path workaround, needed to run at all: 1.23.x has only the older name, the same
    # transport (same requests, headers and 30 s / 300 s SSE-read timeouts on the wire), yielding the same
    # (read, write, get_session_id). 1.24+ never touch it (there it is a deprecated wrapper).
    from mcp.client.streamable_http import (  # type: ignore[assignment]
        streamablehttp_client as streamable_http_client,
    )

from client_answers import CannedAnswers, SessionCallbacks  # noqa: E402
from client_calls import SessionState  # noqa: E402
from client_receiver import TaskReceiver  # noqa: E402
from client_steps import StepRunner  # noqa: E402

MCP_VERSION = sdk_version()
INITIALIZE_TIMEOUT_S = 30

# Vocabulary only the raw client speaks (driver.json `cannot` says the same).
RAW_ONLY_REASON = "a ClientSession sends only the requests its API builds; arbitrary JSON-RPC is for the raw client"
MANUAL_HANDSHAKE_REASON = (
    "ClientSession.initialize() is the SDK's only handshake (a session's requests need it first); "
    "only the raw client can skip or script it"
)


def refuse_unsupported(spec: dict[str, Any]) -> None:
    """What no SDK client can express: exit 127 before connecting."""
    if spec["client"].get("handshake") == "manual":
        unsupported("option:manual-handshake", MANUAL_HANDSHAKE_REASON)
    for step in spec["client"]["steps"]:
        if step["kind"] in ("send", "sendRaw"):
            unsupported(f"step:{step['kind']}", RAW_ONLY_REASON)


class ClientDriver:
    def __init__(self, spec: dict[str, Any], obs: ObservationWriter, impl: str, transport: dict[str, Any]) -> None:
        self.spec = spec
        self.obs = obs
        self.impl = impl
        self.transport = transport
        self.answers = CannedAnswers(spec["client"])
        self.receivers: list[TaskReceiver] = []
        self.steps_done = False

    def open_transport(self) -> Any:
        if self.transport["kind"] == "stdio":
            argv: list[str] = self.transport["argv"]
            # The exact argv and the current environment, as the contract asks.
            return stdio_client(StdioServerParameters(command=argv[0], args=argv[1:], env=dict(os.environ)))
        return streamable_http_client(self.transport["url"])

    async def open_session(self, name: str, stack: contextlib.AsyncExitStack, spawn: TaskGroup) -> SessionState:
        streams = await stack.enter_async_context(self.open_transport())
        read_stream, write_stream = streams[0], streams[1]
        get_session_id = streams[2] if len(streams) > 2 else None
        callbacks = SessionCallbacks(self.answers, self.obs, name)
        extra: dict[str, Any] = {}
        tasks = self.spec["client"].get("tasks")
        if tasks is not None:
            receiver = TaskReceiver(tasks, self.answers, self.obs, name, spawn)
            self.receivers.append(receiver)
            extra["experimental_task_handlers"] = receiver.handlers()
        session = await stack.enter_async_context(
            ClientSession(
                read_stream,
                write_stream,
                sampling_callback=callbacks.on_sampling,
                elicitation_callback=callbacks.on_elicitation,
                message_handler=callbacks.on_message,
                client_info=types.Implementation(name="mcp-interop-py", version=MCP_VERSION),
                **extra,
            )
        )
        with anyio.fail_after(INITIALIZE_TIMEOUT_S):
            init = await session.initialize()
        hello: dict[str, Any] = {
            "type": "hello",
            "at": now_ms(),
            "role": "client",
            "impl": self.impl,
            "sdk": {"name": "mcp", "version": MCP_VERSION},
            "protocolVersion": str(init.protocolVersion),
            "serverCapabilities": dump(init.capabilities),
            "serverInfo": dump(init.serverInfo),
            "session": name,
        }
        session_id = get_session_id() if get_session_id is not None else None
        if session_id is not None:
            hello["sessionId"] = session_id
        self.obs.write(hello)
        return SessionState(name=name, session=session, server_capabilities=init.capabilities)

    async def run(self) -> None:
        names: list[str] = self.spec["client"].get("sessions") or ["main"]
        async with contextlib.AsyncExitStack() as stack:
            # The receivers' answers run here, outside the SDK's receive loops.
            spawn = await stack.enter_async_context(anyio.create_task_group())
            sessions: dict[str, SessionState] = {}
            for name in names:  # one after the other, in the order the scenario declares them
                sessions[name] = await self.open_session(name, stack, spawn)
            runner = StepRunner(sessions, names[0], self.obs)
            for index, step in enumerate(self.spec["client"]["steps"]):
                await runner.run(index, step)
            self.steps_done = True
            for receiver in self.receivers:
                receiver.flush()
            spawn.cancel_scope.cancel()


def parse_transport(args: Any, parser: Any) -> dict[str, Any]:
    if args.transport == "stdio":
        try:
            argv = json.loads(args.server_command or "")
            if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
                raise ValueError("expected a non-empty JSON array of strings")
        except ValueError as e:
            parser.error(f"--server-command: {e}")
        return {"kind": "stdio", "argv": argv}
    if not args.url:
        parser.error("--url is required with --transport http")
    return {"kind": "http", "url": args.url}


def main() -> int:
    parser = arg_parser("Python SDK (mcp) client driver of the MCP Tasks interop harness")
    parser.add_argument("--observations", required=True, help="JSON Lines file the observations are appended to")
    parser.add_argument("--server-command", help="stdio: the server's argv as a JSON array of strings")
    parser.add_argument("--url", help="http: the server's Streamable HTTP endpoint")
    args = parser.parse_args()
    transport = parse_transport(args, parser)
    setup_logging()
    spec = load_input(args.scenario)
    refuse_unsupported(spec)
    obs = ObservationWriter(args.observations)
    driver = ClientDriver(spec, obs, impl_label(), transport)

    log("start", transport=args.transport, scenario=spec["id"], sdk=f"mcp {MCP_VERSION}")
    try:
        anyio.run(driver.run)
    except BaseException as e:
        if isinstance(e, (SystemExit, KeyboardInterrupt)):
            raise
        message = describe_exception(e)
        traceback.print_exc(file=sys.stderr)
        if driver.steps_done:
            # Every step ran and was recorded; the SDK raised while closing the session or the
            # transport (e.g. stdio_client's reader still delivering a late notification into the
            # closed session: anyio.BrokenResourceError). Kept in the end record, not a driver failure.
            log("teardown-error", error=message)
            obs.write({"type": "end", "at": now_ms(), "ok": True, "teardownError": message})
            obs.close()
            return EXIT_OK
        log("fatal", error=message)
        obs.write({"type": "end", "at": now_ms(), "ok": False, "error": message})
        obs.close()
        return EXIT_DRIVER_ERROR
    obs.write({"type": "end", "at": now_ms(), "ok": True})
    obs.close()
    log("exit")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
