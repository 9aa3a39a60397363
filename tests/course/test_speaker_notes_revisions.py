"""Speaker notes that cite an etcd revision cite one the saved outputs show (they drift when a change
adds an object at start-up and every later revision moves)."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CITED = re.compile(r"`(?:put rev |revision |ADDED rv=)(\d+)`")


def _outputs(cells) -> str:
    texts = []
    for cell in cells:
        for out in cell.get("outputs", []):
            texts.append(str(out.get("text", "")))
            texts += [str(v) for k, v in (out.get("data") or {}).items() if k.startswith("text/")]
    return "\n".join(texts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_revision_a_speaker_note_cites_is_in_the_saved_outputs(path):
    cells = nbformat.read(path, as_version=4).cells
    shown = set(re.findall(r"(?:revision |rv=)(\d+)", _outputs(cells)))
    cited = {n for c in cells if c.cell_type == "markdown" and c.source.startswith("Speaker notes")
             for n in CITED.findall(c.source)}
    assert cited <= shown, f"cited but not in the outputs: {sorted(cited - shown)}"
