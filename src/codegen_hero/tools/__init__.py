"""The real tools of the journey, run offline on the local models, inside the sandbox.

from codegen_hero.tools.aider import run_aider, serving
from codegen_hero.tools.packers import compare_packers
"""
