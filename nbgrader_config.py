"""nbgrader configuration for the framelab course folder (this checkout).

solutions/<id>/<id>.ipynb are the instructor sources; exercises/<id>/ the
student releases that nbgrader generates from them (`framelab release`).
"""

import os

from framelab.grading.answers import relative_path
from framelab.instructor.course import IGNORE

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = here
c.CourseDirectory.course_id = "framelab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# nbgrader copies files by this list when it releases, autogrades, makes feedback
# and moves files through the exchange; see framelab/instructor/course.py for why answers/ is
# not in it.
c.CourseDirectory.ignore = IGNORE
# The exchange, made safe for a shared server (framelab/instructor/exchange.py): collect refuses
# what is not the named student's own plain files (links, others' folders, forged
# dates, another's feedback secret) and copies nothing it has not checked; release
# records when each exercise first went out; release_feedback publishes only the
# feedback page of each notebook in the gradebook.
c.ExchangeFactory.collect = "framelab.instructor.exchange.FramelabCollect"
c.ExchangeFactory.release_assignment = "framelab.instructor.exchange.FramelabReleaseAssignment"
c.ExchangeFactory.release_feedback = "framelab.instructor.exchange.FramelabReleaseFeedback"
# Wait for a busy gradebook instead of failing with "database is locked".
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db") + "?timeout=30"

# Never release an exercise whose key is a machine's draft nobody has reviewed
# (framelab new-exercise makes such drafts); then nbgrader's own steps.
c.GenerateAssignment.preprocessors = [
    "framelab.grading.autograde.RequireReviewedKeys",
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# No student code runs as the grader (framelab/grading/autograde.py): GradeSubmission stands
# where nbgrader's Execute was. It starts no kernel; it scores framelab's grade cells
# in the grader from the answers as handed in, read without following links.
c.Autograde.autograde_preprocessors = [
    "framelab.grading.autograde.GradeSubmission",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A grade cell a student deleted is put back and scored, not left for hand grading
# (framelab's RestoreGradeCells: nbgrader's own version fails on framelab's layout).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "framelab.grading.autograde.RestoreGradeCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.RestoreGradeCells.add_missing_cells = True
# Never let an answers file in solutions/ replace the one a student handed in.
c.Autograde.exclude_overwriting = {
    name: [relative_path(name)]
    for name in (
        os.listdir(os.path.join(here, "solutions"))
        if os.path.isdir(os.path.join(here, "solutions"))
        else []
    )
}
# Before nbgrader copies a submission, set aside links, devices, fifos and files past
# the size limit: nbgrader would follow a link and copy its target as the instructor.
c.Autograde.pre_convert_hook = "framelab.grading.autograde.screen_submission"
# nbgrader submit leaves out a file larger than this (in KB), and framelab refuses one
# at collect and at autograde (framelab/grading/submission.py: MAX_FILE_BYTES).
c.CourseDirectory.max_file_size = 10_000
