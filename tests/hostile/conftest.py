"""Register tests/records/makers.py as ``records_makers`` for the hostile tests."""

import importlib.util
import sys
from pathlib import Path

if "records_makers" not in sys.modules:
    _path = Path(__file__).parent.parent / "records" / "makers.py"
    _spec = importlib.util.spec_from_file_location("records_makers", _path)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["records_makers"] = _module
    _spec.loader.exec_module(_module)
