"""The course's running project, `tally`, carried from stage 6 to stage 9.

from codegen_hero.project import materialise, step_prompt, step_tests
materialise("work/tally", "07")   # the repository as lab 07 starts it, a git repo
"""

from codegen_hero.project.tally_repo import (
    LAB_STATES,
    STEPS,
    ProjectError,
    acceptance_tests,
    materialise,
    prepare_step,
    project_file,
    reference_module,
    step_prompt,
    step_tests,
)

__all__ = [
    "LAB_STATES",
    "STEPS",
    "ProjectError",
    "acceptance_tests",
    "materialise",
    "prepare_step",
    "project_file",
    "reference_module",
    "step_prompt",
    "step_tests",
]
