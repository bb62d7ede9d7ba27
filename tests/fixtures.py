"""Shared test data: small hand-made data directories and build helpers (imported by tests)."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

from reports_gen.site.build import BuildResult, build_site

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
company: PT Uji Coba
language: en
currency: IDR
working_days: [mon, tue, wed, thu, fri]
thresholds:
  ec_ratio: 0.6
  pjp_rate: 0.9
  coverage: 0.9
  pace_at_risk: 0.9
  stale_prospect_days: 14
activity_types: [demo, promotion, meeting]
"""

TEAM = """\
teams:
  - {id: east, name: East, manager: andi}
  - {id: west, name: West, manager: citra}
people:
  - {id: andi, name: Andi Saputra, role: sales, team: east}
  - {id: budi, name: Budi Santoso, role: sales, team: east, start: 2026-11-18}
  - {id: citra, name: Citra Lestari, role: sales, team: west}
  - {id: dewi, name: Dewi Anggraini, role: marketing, team: west}
"""

OUTLETS = """\
outlet_id,name,type,area,rep_id,visits_per_week
O1,Toko Makmur,store,Rungkut,andi,1
O2,UD Sentosa,reseller,Rungkut,andi,2
O3,CV Abadi,buyer,Gubeng,budi,0.5
O4,Toko Jaya,store,Darmo,citra,1
"""

TARGETS = """\
targets:
  - {period: 2026-11, scope: "person:andi", metric: revenue, value: 2000000}
  - {period: 2026-Q4, scope: company, metric: revenue, value: 9000000}
"""

# Week 2026-W47 is Mon 2026-11-16 .. Sun 2026-11-22.
CALLS_W47 = """\
date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes
2026-11-16,andi,O1,yes,yes,500000,5,,
2026-11-16,andi,O2,yes,no,0,0,Toko tutup,
2026-11-18,budi,O3,yes,yes,0,0,Stok masih ada,
2026-11-19,andi,O2,no,yes,250000,2,,
2026-11-20,citra,O4,yes,yes,300000,3,,
"""

SALES_W47 = """\
date,rep_id,outlet_id,order_value,units,channel,notes
2026-11-17,citra,O4,100000,1,whatsapp,
"""

ACTIVITIES_W47 = """\
date,person_id,type,planned,done,outlet_id,prospect_id,outcome,notes
2026-11-17,dewi,demo,yes,yes,O1,,Good reception,
2026-11-18,dewi,promotion,yes,no,,,,
2026-11-19,dewi,meeting,no,yes,,P1,,
"""

PROSPECTS_W47 = """\
date,prospect_id,name,owner_id,source,stage,expected_value,outlet_id,notes
2026-11-16,P1,Toko Baru,dewi,referral,new,1000000,,
2026-11-20,P1,,dewi,,contacted,,,
"""

BASE_FILES = {
    "config.yaml": CONFIG,
    "team.yaml": TEAM,
    "outlets.csv": OUTLETS,
    "targets.yaml": TARGETS,
    "weeks/2026-W47/calls.csv": CALLS_W47,
    "weeks/2026-W47/sales.csv": SALES_W47,
    "weeks/2026-W47/activities.csv": ACTIVITIES_W47,
    "weeks/2026-W47/prospects.csv": PROSPECTS_W47,
}


def write_data(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write a data directory: BASE_FILES overridden by `files` (None deletes a file)."""
    merged: dict[str, str | bytes | None] = {**BASE_FILES, **files}
    for name, content in merged.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8", newline="")
    return root


def tree_digest(folder: Path) -> str:
    """A digest of every file's path and bytes under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def new_project(tmp: Path) -> Path:
    """Copy mkdocs.yml and site_src/ into `tmp` (made if need be): a project to build in."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    if not (tmp / "site_src").exists():
        shutil.copytree(ROOT / "site_src", tmp / "site_src")
    return tmp


def build_project(tmp: Path, data: Path, strict: bool = True) -> BuildResult:
    """Copy mkdocs.yml and site_src/ into `tmp` and build the site of `data` there."""
    return build_site(data, new_project(tmp) / "site", project=tmp, strict=strict)
