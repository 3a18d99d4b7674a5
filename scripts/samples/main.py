"""Writes samples/county, samples/broken and samples/tiny."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .county_data import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403
from .rows import *  # noqa: F401,F403
from .department import *  # noqa: F401,F403
from .county import *  # noqa: F401,F403
from .broken import *  # noqa: F401,F403
from .tiny import *  # noqa: F401,F403


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "samples")
    for name in ("county", "broken", "tiny"):
        target = os.path.join(out, name)
        if os.path.isdir(target):
            shutil.rmtree(target)
    data = write_county(os.path.join(out, "county"))
    write_broken(os.path.join(out, "broken"))
    write_tiny(os.path.join(out, "tiny"))
    projects = data["projects"]
    print("county: %d projects, %d indicator rows; broken: 20 mistakes; tiny: %d projects"
          % (len(projects), sum(len(p["inds"]) for p in projects) + sum(len(v) for v in data["dinds"].values()),
             len(TINY_PROJECTS)))

