"""JSON log lines keep the traceback of a logged exception: an operator's only clue to a 500."""

from __future__ import annotations

import io
import json
import logging

import structlog

from config.logging import structured_formatter


def _json_logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structured_formatter(json=True))
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def _fail_deep_inside() -> None:
    raise ValueError("the ninth entry has no date")


def test_a_logged_exception_keeps_its_traceback_in_the_json_line():
    logger, stream = _json_logger("tests.logging.stdlib")
    try:
        _fail_deep_inside()
    except ValueError:
        logger.exception("ingest.failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    record = json.loads(lines[0])
    assert record["event"] == "ingest.failed" and record["level"] == "error"
    assert record["exception"].startswith("Traceback (most recent call last)")
    assert "_fail_deep_inside" in record["exception"]
    assert "ValueError: the ninth entry has no date" in record["exception"]


def test_a_structlog_exception_keeps_its_traceback_in_the_json_line():
    _, stream = _json_logger("tests.logging.structlog")
    try:
        _fail_deep_inside()
    except ValueError:
        structlog.get_logger("tests.logging.structlog").exception("fetch.failed", source=7)
    record = json.loads(stream.getvalue().splitlines()[-1])
    assert record["event"] == "fetch.failed" and record["source"] == 7
    assert "_fail_deep_inside" in record["exception"]
    assert "ValueError: the ninth entry has no date" in record["exception"]


def test_a_line_without_an_exception_has_no_exception_field():
    logger, stream = _json_logger("tests.logging.plain")
    logger.info("edition.ingested")
    assert "exception" not in json.loads(stream.getvalue())
