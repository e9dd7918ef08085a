import pytest
import time_machine

from servicehall.assessment import services

from .fixtures import AFTER_MONTH, MONTH, WEIGHTS, month_records


@pytest.fixture
def assessor(org):
    """A member of the 考核领导小组 over hall A's region."""
    from servicehall.core.testing import make_user

    return make_user("assessor_a", ["assessment_group"], regions=[org.region_a])


@pytest.fixture
def october(org, assessor):
    """Hall A's October records, the company's weights and region A's October opened — at 3 November."""
    with time_machine.travel(AFTER_MONTH, tick=False):
        month_records(org)
        services.set_weights(by=assessor, company=org.company, weights=WEIGHTS)
        month = services.open_month(region=org.region_a, month=MONTH, by=assessor)
    return month

