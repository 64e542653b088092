"""nbgrader configuration for the framelab course folder (this checkout).

solutions/<id>/<id>.ipynb are the instructor sources; exercises/<id>/ the
student releases that nbgrader generates from them.
"""

import os

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = here
c.CourseDirectory.course_id = "framelab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# This list replaces nbgrader's defaults, and autograde and feedback copy files by it
# too: never let an instructor-only file or a student's working folder into a release.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "answers",
    "instructor_*",
]
# Wait for a busy gradebook instead of failing with "database is locked".
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db") + "?timeout=30"
# Per cell; a grading cell takes well under a second, so this only bounds a hang.
c.Execute.timeout = 30
