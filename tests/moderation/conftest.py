import importlib

import pytest
from django.apps import apps

_seed_migration = importlib.import_module("moderation.migrations.0003_seed_crisis_list")


@pytest.fixture(autouse=True)
def _crisis_list(request, _baseline):
    """The crisis list comes from a data migration; a transactional test elsewhere in the run empties the table
    when it ends (PostgreSQL's flush), so put the seeded rows back the way the migration does. `_baseline` (in
    tests/conftest.py) has opened the database by then."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        _seed_migration.seed(apps, None)
