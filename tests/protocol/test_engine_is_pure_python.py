import subprocess
import sys

PROGRAM = """
import sys
from scleropath.protocol import Engine
from scleropath.protocol.render import render_markdown
e = Engine()
e.plan({"patient": {"weight_kg": 70}, "findings": [{"id": "a", "side": "left", "diameter_mm": 2}]})
render_markdown(e.protocol)
print("django" in sys.modules)
"""


def test_the_engine_plans_without_importing_django():
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
