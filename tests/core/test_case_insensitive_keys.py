"""Keys that differ only by case are one key on every database, as on Tutor's MySQL 8.4,
whose tables use ``utf8mb4_unicode_ci`` (so does the MariaDB test database): credential slugs
here; employee IDs in tests/hris/test_employee_links.py (rows 7 and 8 of the refused file)."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from credential_app.models import CredentialDefinition

pytestmark = pytest.mark.db_server


def test_a_slug_differing_only_by_case_is_refused_naming_the_one_it_clashes_with(definition):
    clash = CredentialDefinition(slug=definition.slug.upper(), name="Shouting")
    with pytest.raises(ValidationError) as refused:
        clash.full_clean()
    assert refused.value.message_dict["slug"] == [
        f"The slug “{definition.slug}” is taken; slugs are compared without regard to case."]
    definition.validate_unique()  # the definition itself is no clash
    assert CredentialDefinition.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "mysql", reason="MySQL/MariaDB collation")
def test_the_test_database_compares_as_tutors_mysql_does(definition):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE "
                       "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = 'slug'",
                       [CredentialDefinition._meta.db_table])
        assert cursor.fetchone()[0] == "utf8mb4_unicode_ci"
    with pytest.raises(IntegrityError), transaction.atomic():
        CredentialDefinition.objects.create(slug=definition.slug.upper(), name="Shouting")
    assert CredentialDefinition.objects.get(slug=definition.slug.upper()) == definition
