"""followthemoney is imported with its model parsed by libyaml (``model/ftm.py``): a
``tearline`` process opening the store runs PyYAML's Python parser on no schema file,
gets the same model as PyYAML's own parser builds, and finds ``yaml.safe_load`` as
PyYAML made it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import yaml

import tearline
from waiting import HANG

# In a process of its own: followthemoney is already imported in this one.
PROBE = """
import json, yaml, yaml.parser
parsers = []
init = yaml.parser.Parser.__init__
def counted(self, *args):
    parsers.append(1)
    init(self, *args)
yaml.parser.Parser.__init__ = counted
plain = yaml.safe_load
import tearline.model.record  # what a command opening the store imports first
import followthemoney
from followthemoney.model import Model
from followthemoney.settings import MODEL_PATH
at_import = len(parsers)
again = Model(MODEL_PATH)  # PyYAML's own parser, yaml.safe_load as it was
print(json.dumps({"at_import": at_import, "after": len(parsers) - at_import,
                  "restored": yaml.safe_load is plain,
                  "same": again.to_dict() == followthemoney.model.to_dict()}))
"""


def test_the_model_is_parsed_by_libyaml_and_is_the_same() -> None:
    assert getattr(yaml, "__with_libyaml__", False), "PyYAML built without libyaml"
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=HANG)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["at_import"] == 0  # no schema file went through the Python parser
    assert seen["after"] > 50  # the probe does see that parser when it runs
    assert seen["restored"] and seen["same"]


def test_followthemoney_is_imported_through_ftm_only() -> None:
    """Whichever tearline module a process imports first, followthemoney comes in
    through ``model/ftm.py``: no other module imports it."""
    root = Path(tearline.__file__).parent
    direct = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "followthemoney" or n.startswith("followthemoney.") for n in names):
                direct.append(str(path.relative_to(root)))
    assert set(direct) == {"model/ftm.py"}
