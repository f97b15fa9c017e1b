"""The course's running project, `tally`, carried from stage 6 to stage 9.

from codegen_hero.project import lab_repository, materialise, step_prompt, step_tests
materialise("work/tally", "07")   # the repository as lab 07 starts it, a git repo
root, note = lab_repository("08")  # the learner's repository, or lab 08's start state
"""

from codegen_hero.project.tally_repo import (
    LAB_STATES,
    STEPS,
    ProjectError,
    acceptance_tests,
    lab_repository,
    materialise,
    prepare_step,
    project_file,
    reference_module,
    run_acceptance,
    step_prompt,
    step_tests,
    steps_done,
)

__all__ = [
    "LAB_STATES",
    "STEPS",
    "ProjectError",
    "acceptance_tests",
    "lab_repository",
    "materialise",
    "prepare_step",
    "project_file",
    "reference_module",
    "run_acceptance",
    "step_prompt",
    "step_tests",
    "steps_done",
]
