"""Drive a hall in real time for the demo: a kiosk takes tickets at a configurable rate, and the tellers
signed on at the counters call, start, finish and get rated with realistic durations, through the
same services a person uses — so the board, the consoles and the hall leader's page move.

    manage.py simulate_hall --hall hx-central --rate 90 --speed 5 --minutes 10
"""
import datetime as dt
import math
import random
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from servicehall.catalogue.models import BusinessType
from servicehall.core.errors import DomainError
from servicehall.org.models import Counter, Device, Hall, OpeningHours, Role, SpecialDay, User

from ... import selectors, services
from ...models import CounterState, OverrunReason, Rating, Ticket

HANDLING = {"payment": 150, "enquiry": 140, "electricity": 620, "new-energy": 720, "high-voltage": 800}  # median seconds per item
CATEGORY_MIX = [("B", 0.45), ("A", 0.25), ("D", 0.18), ("C", 0.06), ("E", 0.06)]
# a kiosk offers only the self-declared priorities: green channel and VIP are granted by the guide (R-Q2)
PRIORITY_MIX = [("none", 0.90), ("elderly", 0.08), ("disabled", 0.02)]


def weighted(rng, pairs):
    r, acc = rng.random() * sum(w for _, w in pairs), 0.0
    for value, w in pairs:
        acc += w
        if r <= acc:
            return value
    return pairs[-1][0]


class CounterBot:
    """One teller at one counter: idle → called → serving → idle, with pauses and no-shows now and then."""

    def __init__(self, counter, teller, pad, rng, speed, log):
        self.counter, self.teller, self.pad, self.rng, self.speed, self.log = counter, teller, pad, rng, speed, log
        self.phase, self.due, self.recalls, self.types = "idle", 0.0, 0, []
        self.sync()

    def later(self, seconds):
        self.due = time.monotonic() + max(0.2, seconds / self.speed)

    def sync(self):
        """Pick up where the counter is (a person may have acted on it meanwhile)."""
        cs = selectors.console_state(self.counter)
        self.phase = {"called": "called", "serving": "serving"}.get(cs.ticket.status if cs.ticket else "", "idle")
        if cs.state_code == CounterState.State.PAUSED:
            self.phase = "paused"
        self.ticket = cs.ticket
        self.later(self.rng.uniform(2, 10))

    def step(self):
        if time.monotonic() < self.due:
            return
        rng, by, counter = self.rng, self.teller, self.counter
        try:
            if self.phase == "idle":
                if rng.random() < 0.02:
                    services.pause_counter(counter=counter, by=by, reason=rng.choice(["break", "back_office"]))
                    self.phase = "paused"
                    self.later(rng.uniform(120, 420))
                    self.log(f"{counter.number}号窗口 暂停服务")
                    return
                self.ticket = services.call_next(counter=counter, by=by)
                if self.ticket is None:
                    self.later(rng.uniform(5, 15))
                    return
                self.log(f"请 {self.ticket.code} 号到 {counter.number} 号窗口办理")
                self.phase, self.recalls = "called", 0
                self.no_show = rng.random() < 0.04
                self.later(rng.uniform(20, 60))
            elif self.phase == "paused":
                services.resume_counter(counter=counter, by=by)
                self.phase = "idle"
                self.later(1)
            elif self.phase == "called":
                if self.no_show:
                    needed = selectors.settings_for(counter.hall_id).recalls_before_no_show
                    if self.recalls < needed:
                        services.recall(counter=counter, by=by)
                        self.recalls += 1
                        self.later(40)
                    else:
                        services.mark_no_show(counter=counter, by=by)
                        self.log(f"{self.ticket.code} 过号")
                        self.phase = "idle"
                        self.later(5)
                    return
                services.start_service(counter=counter, by=by)
                self.phase = "serving"
                cat = self.ticket.category
                types = list(BusinessType.objects.filter(category=cat, is_active=True).order_by()) or list(
                    BusinessType.objects.filter(is_active=True).order_by()[:1])
                n_items = weighted(rng, [(1, 0.8), (2, 0.15), (3, 0.05)]) if cat.code == "payment" else 1
                self.types = [rng.choice(types)] * n_items
                median = HANDLING.get(cat.code, 300) * n_items
                self.later(rng.lognormvariate(math.log(median), 0.45))
            elif self.phase == "serving":
                try:
                    service = services.finish_service(counter=counter, by=by, business_types=self.types)
                except DomainError as exc:
                    if exc.code != "overrun_reason_required":
                        raise
                    service = services.finish_service(counter=counter, by=by, business_types=self.types,
                                                      overrun_reason=rng.choice(OverrunReason.values), overrun_note="模拟")
                self.phase = "idle"
                self.later(rng.uniform(10, 40))
                if rng.random() < 0.86:
                    score = weighted(rng, [("satisfied", 0.84), ("basic", 0.12), ("dissatisfied", 0.04)])
                    reasons = [rng.choice(["slow", "wait", "attitude"])] if score == "dissatisfied" else []
                    services.rate_service(service=service, score=score, reasons=reasons, device=self.pad)
                    self.log(f"{self.ticket.code} 办结，评价：{Rating.Score(score).label}")
        except DomainError as exc:
            self.log(f"{counter.number}号窗口：{exc.message}（重新同步）")
            self.sync()


class Command(BaseCommand):
    help = "Simulate a hall in real time (kiosk takes tickets, tellers call, serve and get rated) so the demo moves."

    def add_arguments(self, parser):
        parser.add_argument("--hall", help="hall code or id (default: the first active hall)")
        parser.add_argument("--rate", type=float, default=60.0, help="tickets per hour of simulated time (default 60)")
        parser.add_argument("--speed", type=float, default=1.0, help="speed-up factor: 5 = five simulated minutes a minute")
        parser.add_argument("--minutes", type=float, default=None, help="stop after this many real minutes (default: until Ctrl-C)")
        parser.add_argument("--seed", type=int, default=None, help="random seed")
        parser.add_argument("--extend-hours", action="store_true",
                            help="open the hall all day today (a hall-specific special day), for demos outside opening hours")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, hall, rate, speed, minutes, seed, extend_hours, quiet, **options):
        if rate <= 0 or speed <= 0 or (minutes is not None and minutes <= 0):
            raise CommandError("--rate, --speed and --minutes must be positive")
        hall_obj = self.find_hall(hall)
        rng = random.Random(seed)
        log = (lambda msg: None) if quiet else (lambda msg: self.stdout.write(f"[{timezone.localtime():%H:%M:%S}] {msg}"))
        if extend_hours:
            self.extend_hours(hall_obj)
        bots = self.bots(hall_obj, rng, speed, log)
        if not bots:
            raise CommandError(f"{hall_obj.name} has no tellers to sign on at its counters")
        kiosk = Device.objects.filter(hall=hall_obj, kind=Device.Kind.KIOSK, is_active=True).first()
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        deadline = time.monotonic() + minutes * 60 if minutes else None
        per_second = rate / 3600.0 * speed
        log(f"simulating {hall_obj.name}: {len(bots)} counters, {rate:g} tickets/h, speed ×{speed:g}"
            + (f", for {minutes:g} min" if minutes else ", Ctrl-C to stop"))
        tick, last_sweep, taken, closed_warned = 0.5, 0.0, 0, False
        try:
            while not stop["now"] and (deadline is None or time.monotonic() < deadline):
                close_old_connections()
                arrivals = self.poisson(rng, per_second * tick)
                for _ in range(arrivals):
                    try:
                        t = services.take_ticket(hall=hall_obj, category=weighted(rng, CATEGORY_MIX),
                                                 priority_reason=weighted(rng, PRIORITY_MIX), device=kiosk)
                        taken += 1
                        log(f"取号 {t.code}")
                    except DomainError as exc:
                        if not closed_warned:
                            log(f"取号被拒：{exc.message}（可使用 --extend-hours 演示）")
                            closed_warned = True
                for bot in bots:
                    bot.step()
                if time.monotonic() - last_sweep > 5:
                    services.flag_over_limit()
                    last_sweep = time.monotonic()
                time.sleep(tick)
        except KeyboardInterrupt:
            pass
        waiting = Ticket.objects.filter(hall=hall_obj, status=Ticket.Status.WAITING).count()
        log(f"stopped: {taken} tickets taken, {waiting} still waiting")

    @staticmethod
    def poisson(rng, mean):
        # Knuth's method; the mean per tick is small
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1

    def find_hall(self, ref):
        qs = Hall.objects.filter(is_active=True).select_related("region")
        if ref:
            found = qs.filter(pk=int(ref)).first() if str(ref).isdigit() else qs.filter(code=ref).first()
        else:
            found = qs.order_by("region__path", "code").first()
        if found is None:
            raise CommandError(f"no active hall {ref or ''} (run seed_demo first)")
        return found

    def extend_hours(self, hall):
        today = hall.today()
        SpecialDay.objects.update_or_create(
            company_id=hall.region.company_id, hall=hall, date=today,
            defaults={"name": "演示：全天营业", "closed": False, "opens": dt.time(0, 0), "closes": OpeningHours.UNTIL_MIDNIGHT},
        )

    def bots(self, hall, rng, speed, log):
        """Counters with a teller signed on; when none is, sign the hall's tellers on at the first counters."""
        states = list(CounterState.objects.filter(hall=hall).exclude(state=CounterState.State.CLOSED).select_related("counter", "teller"))
        if not states:
            tellers = list(User.objects.filter(halls=hall, role_grants__role=Role.TELLER, is_active=True).order_by("username"))
            counters = [c for c in Counter.objects.filter(hall=hall, is_active=True).order_by("number") if c.kind != Counter.Kind.SELF]
            for counter, teller in zip(counters, tellers, strict=False):
                services.open_counter(counter=counter, by=teller)
            states = list(CounterState.objects.filter(hall=hall).exclude(state=CounterState.State.CLOSED).select_related("counter", "teller"))
        pads = {d.counter_id: d for d in Device.objects.filter(hall=hall, kind=Device.Kind.PAD, is_active=True)}
        return [CounterBot(s.counter, s.teller, pads.get(s.counter_id), rng, speed, log) for s in states if s.teller_id]
