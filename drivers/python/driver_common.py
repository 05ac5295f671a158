"""Shared plumbing of the Python SDK drivers (server.py, client.py).

Nothing here talks MCP: argument parsing, reading and validating the driver input against the
generated vocabulary schema, the monotonic clock, {{templates}}, JSON log lines on stderr and the
observation writer. The contract is drivers/README.md; the vocabulary is defined once in
src/vocabulary/ and reaches Python only as drivers/vocabulary.schema.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any, NoReturn, cast

import jsonschema

if sys.version_info < (3, 11):  # pragma: no cover
    from exceptiongroup import BaseExceptionGroup  # anyio's backport, installed on 3.10

HERE = Path(__file__).resolve().parent
SCHEMA_PATH = HERE.parent / "vocabulary.schema.json"


def _read_schema() -> dict[str, Any]:
    try:
        return cast(dict[str, Any], json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        sys.stderr.write(f"usage error: cannot read the vocabulary schema {SCHEMA_PATH}: {e}\n")
        sys.exit(2)


SCHEMA = _read_schema()
# The contract's constants (exit codes, line prefixes, environment, defaults), defined once in
# src/vocabulary/contract.ts and generated into the schema: read, never re-declared.
CONTRACT: dict[str, Any] = SCHEMA["$defs"]["Contract"]["const"]
EXIT_OK: int = CONTRACT["exit"]["ok"]
EXIT_DRIVER_ERROR: int = CONTRACT["exit"]["driverError"]
EXIT_USAGE: int = CONTRACT["exit"]["usage"]
EXIT_UNSUPPORTED: int = CONTRACT["exit"]["unsupported"]
UNSUPPORTED_PREFIX: str = CONTRACT["prefixes"]["unsupported"]
READY_PREFIX: str = CONTRACT["prefixes"]["ready"]
ENV: dict[str, str] = CONTRACT["env"]
DEFAULT_STEP_TIMEOUT_MS: int = CONTRACT["defaults"]["stepTimeoutMs"]
DEFAULT_POLL_INTERVAL_MS: int = CONTRACT["defaults"]["pollIntervalMs"]
SAMPLING_REFUSED_CODE: int = CONTRACT["samplingRefusedCode"]
RELATED_TASK_KEY: str = CONTRACT["relatedTaskKey"]


def silence_sdk_deprecations() -> None:
    """mcp >= 1.28 marks the whole experimental tasks API deprecated (tasks leave the spec in 2.x).

    Workaround that changes nothing on the wire: the drivers must use that API, and the warnings
    would only clutter stderr (and the harness keeps stderr as a log).
    """
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=r"The experimental tasks API is deprecated")


def sdk_version() -> str:
    """The installed `mcp` release (the harness runs each release from its own environment)."""
    try:
        from importlib.metadata import version

        return version("mcp")
    except Exception:  # pragma: no cover - metadata missing
        return "unknown"


def now_ms() -> float:
    """Milliseconds on CLOCK_MONOTONIC, the clock the harness recorders stamp the trace with."""
    return time.monotonic_ns() / 1e6


def log(ev: str, **fields: Any) -> None:
    """One JSON object per line on stderr."""
    record = {"at": now_ms(), "ev": ev, **{k: v for k, v in fields.items() if v is not None}}
    sys.stderr.write(json.dumps(record, default=str) + "\n")
    sys.stderr.flush()


class _JsonLogHandler(logging.Handler):
    """Routes the SDK's own `logging` output (warnings and errors) into the JSON log lines."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
            if record.exc_info:
                msg += "\n" + logging.Formatter().formatException(record.exc_info)
            log("sdk-log", level=record.levelname, logger=record.name, message=msg)
        except Exception:  # pragma: no cover - logging must never raise
            pass


def setup_logging() -> None:
    root = logging.getLogger()
    root.handlers[:] = [_JsonLogHandler()]
    root.setLevel(logging.WARNING)


def describe_exception(e: BaseException) -> str:
    """`Type: message`, with an exception group's leaves spelled out (anyio wraps everything in groups)."""
    if isinstance(e, BaseExceptionGroup):
        return "; ".join(describe_exception(x) for x in e.exceptions)
    return f"{type(e).__name__}: {e}".rstrip(": ")


def is_clean_exit(e: BaseException) -> bool:
    """SystemExit(0) or KeyboardInterrupt, possibly wrapped in exception groups by anyio."""
    if isinstance(e, BaseExceptionGroup):
        return all(is_clean_exit(x) for x in e.exceptions)
    return isinstance(e, KeyboardInterrupt) or (isinstance(e, SystemExit) and e.code in (0, None))


def fail_usage(message: str) -> NoReturn:
    sys.stderr.write(f"usage error: {message}\n")
    sys.stderr.flush()
    sys.exit(EXIT_USAGE)


def unsupported(feature: str, reason: str) -> NoReturn:
    """The SDK cannot express something the scenario needs: the cell is `unsupported`."""
    sys.stderr.write(f"{UNSUPPORTED_PREFIX} {feature}: {reason}\n")
    sys.stderr.flush()
    sys.exit(EXIT_UNSUPPORTED)


class _ArgParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with the reason, as the contract asks
        self.print_usage(sys.stderr)
        fail_usage(message)


def arg_parser(description: str) -> argparse.ArgumentParser:
    p = _ArgParser(description=description)
    p.add_argument("--scenario", required=True, help="driver input file (vocabulary.schema.json#/$defs/DriverInput)")
    p.add_argument("--transport", required=True, choices=["stdio", "http"])
    return p


def load_input(path: str) -> dict[str, Any]:
    """Reads the driver input and validates it against the generated `$defs/DriverInput` schema."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail_usage(f"cannot read scenario file {path}: {e}")
    validator = jsonschema.Draft202012Validator(SCHEMA["$defs"]["DriverInput"])
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  {'.'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}" for e in errors[:10]]
        fail_usage(f"scenario file {path} is not a valid driver input:\n" + "\n".join(lines))
    return cast(dict[str, Any], data)


def impl_label(default: str = "py") -> str:
    """The implementation as the cell id names it (`py`, `py@1.27.2`), from the harness's environment."""
    return os.environ.get(ENV["impl"], default)


# ---------------------------------------------------------------------------------------------
# Templates: "{{path}}" inside strings, resolved against {arguments, <as names>}.

_TEMPLATE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_MISSING = object()


def _lookup(scope: Any, path: str) -> Any:
    value = scope
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def render(value: Any, scope: dict[str, Any]) -> Any:
    """Resolves templates in every string inside value; an unresolved path becomes <missing:path>."""
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            found = _lookup(scope, m.group(1))
            if found is _MISSING:
                return f"<missing:{m.group(1)}>"
            return found if isinstance(found, str) else json.dumps(found)

        return _TEMPLATE.sub(sub, value)
    if isinstance(value, list):
        return [render(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: render(v, scope) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------------


def dump(model: Any) -> Any:
    """A pydantic model as JSON data, with exactly the fields the SDK parsed from the wire."""
    if model is None:
        return None
    if hasattr(model, "model_dump"):
        return model.model_dump(by_alias=True, mode="json", exclude_unset=True)
    return model


class ObservationWriter:
    """Appends observation records (vocabulary.schema.json#/$defs/ObservationRecord), one per line."""

    def __init__(self, path: str) -> None:
        try:
            self._f = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        except OSError as e:
            fail_usage(f"cannot open observations file {path}: {e}")

    def write(self, record: dict[str, Any]) -> None:
        self._f.write(json.dumps(record, separators=(",", ":"), default=str) + "\n")
        self._f.flush()

    def close(self) -> None:
        self._f.close()
