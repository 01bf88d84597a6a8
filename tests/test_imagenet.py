"""helpers.ilsvrc_top5(): the ILSVRC table, read from package data, also from an installed wheel."""

import csv
import subprocess
import sys
import zipfile
from pathlib import Path
import shutil

import pandas as pd
import pytest

import helpers

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "helpers" / "resources" / "ilsvrc_top5.csv"


def test_table_is_the_csv_read_independently():
    """Every cell as Python's csv module reads the file (not pandas, which the helper uses)."""
    with CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    table = helpers.ilsvrc_top5()
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == list(rows[0])
    assert len(table) == len(rows)
    for i, row in enumerate(rows):
        assert table.loc[i, "year"] == int(row["year"])
        assert table.loc[i, "top5_error_percent"] == float(row["top5_error_percent"])
        for column in ("kind", "team", "model", "source"):
            assert table.loc[i, column] == row[column]


def test_what_notebook_08_and_the_slides_rely_on():
    table = helpers.ilsvrc_top5()
    winners = table[table.kind == "winner"].sort_values("year")
    assert winners.year.tolist() == list(range(2010, 2018))            # one winner a year
    assert winners.top5_error_percent.is_monotonic_decreasing          # each year better
    by_team = table.set_index("team").top5_error_percent
    assert by_team["GoogLeNet"] == 6.67    # Szegedy et al. 2015 (issue #12: not 6.7)
    assert by_team["VGG"] == 7.3           # Simonyan & Zisserman, ILSVRC-2014 submission (Table 7)
    assert by_team["SuperVision"] == 15.3
    assert by_team["MSRA"] == 3.57
    assert table[table.kind == "human"].top5_error_percent.tolist() == [5.1]
    assert table.year.dtype.kind == "i" and table.top5_error_percent.dtype.kind == "f"


def test_rounded_figures_say_so():
    """2010 and 2011: the sources give the error to one decimal only, and the source column says so."""
    table = helpers.ilsvrc_top5()
    for _, row in table[table.year <= 2011].iterrows():
        assert "rounded" in row.source, row.team
    assert table.source.str.len().min() > 20


def test_each_call_returns_a_new_table():
    first = helpers.ilsvrc_top5()
    first.loc[0, "top5_error_percent"] = -1.0
    assert helpers.ilsvrc_top5().loc[0, "top5_error_percent"] != -1.0


def test_wheel_ships_the_table_and_installed_copy_reads_it(tmp_path):
    """A wheel built from the repository's files contains the CSV, and a non-editable install of it
    (outside the repository) gives the same table."""
    pytest.importorskip("setuptools", minversion="64", reason="building the wheel needs setuptools>=64")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "helpers", source / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--no-cache-dir", "-w", str(dist), str(source)], check=True)
    (wheel,) = dist.glob("cnn_course_helpers-*.whl")
    assert "helpers/resources/ilsvrc_top5.csv" in zipfile.ZipFile(wheel).namelist()

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(site), str(wheel)], check=True)
    shutil.rmtree(source)  # nothing of the sources left to read from
    probe = ("import helpers, sys; t = helpers.ilsvrc_top5(); "
             "print(helpers.__file__); t.to_csv(sys.stdout, index=False)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, check=True).stdout
    where, table = out.split("\n", 1)
    assert Path(where).is_relative_to(site), f"imported from {where}, not from the installed copy"
    assert table == helpers.ilsvrc_top5().to_csv(index=False)
