"""Golden parses: prove a parser change (a speed-up, a refactor) reads every edition as before.

    python bench/parse_golden.py record DIR   # parse every input with the code as it is now
    python bench/parse_golden.py check DIR    # parse them again; list every edition read otherwise
    python bench/parse_golden.py samples      # rewrite tests/ingestion/golden/ (see below)

The inputs are the team's sample editions and, where it is here, the seed edition, each as text
and in every layout of `tests/ingestion/renderings.py` (PDFs, HTML, word-processor exports,
re-wrapped text). DIR holds each input as rendered and its parse-report document (`check`
re-reads the recorded bytes: a PDF renderer stamps the time into its files). Keep DIR outside
the repository, since the seed's documents hold its sentences. `check` exits 1 when a document
differs and prints the first differing lines of each.

`samples` rewrites the committed documents of the samples' text editions, which
`tests/ingestion/test_golden_samples.py` compares on every test run. Run it only for a change
meant to read the samples differently, and read its diff before committing it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / ".." / "shared" / "seed" / "000_778926942f83a8bb.txt"
SAMPLES = ROOT / "samples" / "editions"
COMMITTED = ROOT / "tests" / "ingestion" / "golden"


def document(data: bytes) -> dict[str, Any]:
    """The parse-report document of one input, with the seed actors and the default gazetteer
    (what the tests and the bench read editions with)."""
    from ingestion.parsing import parse_edition, to_contract

    lexicon, gazetteer = _reference()
    return to_contract(parse_edition(data, lexicon=lexicon, gazetteer=gazetteer))


@lru_cache(maxsize=1)
def _reference() -> tuple[Any, Any]:
    """The parse bench's lexicon and gazetteer, built once (not once per input)."""
    from bench.parse_bench import _reference as built

    lexicon, gazetteer, _ = built()
    return lexicon, gazetteer


def sample_documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(SAMPLES.glob("*.txt")):
        yield path.stem, document(path.read_bytes())


def _inputs() -> Iterator[tuple[str, bytes]]:
    from tests.ingestion.renderings import fonts_available, renderings

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
    if SEED.exists():
        texts["seed"] = SEED.read_text(encoding="utf-8")
    layouts = [r for r in renderings() if r.kind != "pdf" or fonts_available()]
    for name, text in texts.items():
        yield f"{name}.text", text.encode("utf-8")
        for layout in layouts:
            yield f"{name}.{layout.id}", layout.render(text)


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def record(out: Path) -> int:
    from tqdm import tqdm

    out.mkdir(parents=True, exist_ok=True)
    for name, data in tqdm(list(_inputs()), desc="record", unit="edition"):
        (out / f"{name}.input").write_bytes(data)
        (out / f"{name}.json").write_text(_dump(document(data)), encoding="utf-8")
    return 0


def check(recorded: Path) -> int:
    from tqdm import tqdm

    inputs = sorted(recorded.glob("*.input"))
    if not inputs:
        print(f"nothing recorded in {recorded}")
        return 1
    differ = []
    for path in tqdm(inputs, desc="check", unit="edition"):
        name = path.stem
        before = path.with_suffix(".json").read_text(encoding="utf-8")
        now = _dump(document(path.read_bytes()))
        if before != now:
            differ.append(name)
            diff = difflib.unified_diff(
                before.splitlines(), now.splitlines(), "recorded", "now", n=1, lineterm=""
            )
            print(f"== {name}", *list(diff)[:40], sep="\n")
    print(
        f"{len(differ)} of {len(inputs)} editions read otherwise"
        if differ
        else f"all {len(inputs)} editions read as recorded"
    )
    return 1 if differ else 0


def samples() -> int:
    COMMITTED.mkdir(parents=True, exist_ok=True)
    for name, doc in sample_documents():
        (COMMITTED / f"{name}.json").write_text(_dump(doc), encoding="utf-8")
        print(f"wrote {COMMITTED / name}.json")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("record", "check"):
        sub.add_parser(name).add_argument("dir", type=Path)
    sub.add_parser("samples")
    args = parser.parse_args(argv)
    if args.command == "record":
        return record(args.dir)
    if args.command == "check":
        return check(args.dir)
    return samples()


if __name__ == "__main__":
    sys.exit(main())
