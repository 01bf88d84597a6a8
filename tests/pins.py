"""The pins of a requirements file, for the tests that compare the course's environments."""

import re


def norm(name):
    """A package's name as pip compares it (PEP 503), without its extras."""
    return re.sub(r"[-_.]+", "-", name).lower().split("[")[0]


def pins(path):
    """{name: version} of a requirements file whose every line pins with == (comments left out)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"{path.name}: {line!r} is not pinned with =="
            found[norm(name)] = version
    return found
