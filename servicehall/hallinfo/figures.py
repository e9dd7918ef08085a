"""Self-service figures (R-Q13), per hall over a `core.figures.Period` of its business days. Other apps
read these, never the hallinfo models.

Counting rule: diversion share = self-service transactions the terminals reported for the period's
days ÷ (those + the services finished at the counters, queueing.figures' `services_finished`), in per
cent.
"""
from dataclasses import dataclass

from django.db.models import Sum

from servicehall.core.figures import PERCENT, Period, Rate
from servicehall.org.selectors import halls_for_figures
from servicehall.queueing import figures as queue_figures

from .models import SelfServiceTally


@dataclass(frozen=True)
class SelfServiceFigures:
    self_service: int = 0
    counter_services: int = 0

    @property
    def diversion_share(self) -> Rate:
        return Rate(self.self_service, self.self_service + self.counter_services, PERCENT)

    def as_dict(self) -> dict:
        return {"self_service": self.self_service, "counter_services": self.counter_services,
                "diversion_share": self.diversion_share.as_dict()}


def hall_figures(halls, period: Period) -> dict[int, SelfServiceFigures]:
    rows = halls_for_figures(halls)
    tallies = dict(
        SelfServiceTally.objects.filter(hall_id__in=[h.pk for h in rows], day__gte=period.first, day__lte=period.last)
        .values("hall_id").annotate(n=Sum("transactions")).order_by().values_list("hall_id", "n")
    )
    counter = queue_figures.hall_figures(rows, period)
    return {h.pk: SelfServiceFigures(tallies.get(h.pk) or 0, counter[h.pk].services_finished) for h in rows}
