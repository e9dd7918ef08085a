"""The demo seeder: the first east hall has imported survey results of this and last month and a published expert
sheet, so its three-party page is not empty."""
import io

from django.core.management import call_command
from django.utils import timezone

from servicehall.evaluation import selectors
from servicehall.evaluation.models import SurveyResult
from servicehall.inspections.models import Inspection


def test_demo_has_surveys_and_a_published_expert_sheet_behind_a_hall_score(db):
    call_command("seed_demo", "--only", "evaluation", "--days", "7", stdout=io.StringIO())
    assert SurveyResult.objects.count() == 4
    sheet = Inspection.objects.get(kind="expert")
    assert sheet.status == "published" and sheet.score is not None
    period, _name = selectors.parse_period("", today=timezone.localdate())
    e = selectors.evaluate([sheet.hall], period)[0]
    assert e.party("customer").score is not None and e.party("expert").score == sheet.score and e.score is not None
