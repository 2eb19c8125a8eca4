"""portal_core.versioning.bump_version: the optimistic lock of measures, memos and checklists."""

import pytest

from measures.models import Measure
from portal_core.versioning import bump_version
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def test_the_version_the_form_opened_with_is_raised_in_the_row_and_the_object():
    measure = MeasureFactory()

    assert bump_version(measure, 1) is True

    assert (measure.version, Measure.objects.get(pk=measure.pk).version) == (2, 2)


@pytest.mark.parametrize("expected", [2, None])
def test_a_version_that_is_no_longer_stored_is_refused_and_nothing_is_written(expected):
    measure = MeasureFactory()

    assert bump_version(measure, expected) is False

    assert (measure.version, Measure.objects.get(pk=measure.pk).version) == (1, 1)
