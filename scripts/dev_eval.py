"""Developer helper: extract the dev set with the current pipeline and score it.

    .venv/bin/python scripts/dev_eval.py [OUT.jsonl] [--errors N]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from phasegraph.extract.paper import Paper
from phasegraph.extract.pipeline import extract_records, load_pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> None:
    args = sys.argv[1:]
    errors = "0"
    if "--errors" in args:
        i = args.index("--errors")
        errors = args[i + 1]
        del args[i : i + 2]
    out = Path(args[0]) if args else Path("/tmp/dev-pred.jsonl")
    papers = []
    with open(SHARED / "dev_input.jsonl", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            papers.append(Paper(id=r["id"], title=r["title"], abstract=r["abstract"], source=f"dev_input.jsonl:{n}"))
    nlp = load_pipeline()
    with open(out, "w", encoding="utf-8") as f:
        for rec in extract_records(papers, nlp):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    subprocess.run([sys.executable, str(SHARED / "score.py"), str(SHARED / "dev_gold.jsonl"), str(out), "--errors", errors], check=False)


if __name__ == "__main__":
    main()
