"""How well do two annotators agree? Score the second against the first as gold.

    .venv/bin/python examples/agreement/agreement.py            # the defaults below
    .venv/bin/python examples/agreement/agreement.py --json     # the full report as JSON

Uses the extractor's own matching rules (kg.extract.evaluate via
kg.extract.agreement), on the articles the second annotator did. See README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.extract.agreement import agreement
from kg.extract.evaluate import GoldError, format_report, load_gold
from kg.sources import Document, read_documents

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", nargs="+", default=[str(ROOT / "examples/gold/dev")],
                        help="the annotation taken as gold (folders or files)")
    parser.add_argument("--second", nargs="+", default=[str(HERE / "second-annotator")],
                        help="the annotation scored against it (folders or files)")
    parser.add_argument("--corpus", default=str(ROOT / "examples/corpus"), help="the articles both annotate")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--quiet", action="store_true", help="figures only, without the lists of disagreements")
    args = parser.parse_args(argv)
    try:
        second = load_gold(args.second)
        if not second:
            raise GoldError(f"{' '.join(args.second)}: no annotated documents")
        first = load_gold(args.first)
        documents = [d for d in read_documents([args.corpus]) if isinstance(d, Document)]
        report = agreement(first, second, documents)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{len(second)} articles; gold: {' '.join(args.first)}; scored: {' '.join(args.second)}")
        print(format_report(report, details=not args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
