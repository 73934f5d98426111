"""How big a project file may be: far beyond any playground use, small enough to open in a second.

Checked by the loader before anything is built, each limit named in its message; documented in
docs/file-format.md ("Limits") and, for lessons, docs/lesson-format.md. A file over a limit is
damaged or not ours, never a real project.
"""

MAX_NEURONS = 2_000
MAX_CONNECTIONS = 20_000
MAX_TEXT = 200  # ids, labels, names, the title
MAX_DESCRIPTION = 10_000
MAX_POINTS = 100_000  # a generated dataset's n_points
MAX_ROWS = 100_000  # inline data rows (training and test, each)
MAX_COLUMNS = 100  # inline data columns
MAX_CELLS = 5_000_000  # values in one inline matrix: 100,000 rows × 50 columns (opens in ~1 s)
MAX_GRID_SIDE = 64  # a Hopfield grid is at most 64 × 64 units
MAX_PATTERNS = 1_000
MAX_LESSON_STEPS = 50
MAX_LESSON_TEXT = 4_000  # a step's text, a lesson's summary
MAX_LESSON_ITEMS = 8  # "try this" actions, or checks, of one step
