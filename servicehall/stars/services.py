"""Writes of star service (R-A3), each in its own transaction with its audit row: a company's formula, a
person's star review of a quarter, and a customer's flower (one per visit, from the pad or the phone page)."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core import audit, policy, uploads
from servicehall.core.errors import Conflict, DomainError, NotFound
from servicehall.queueing import page_selectors as queue_pages
from servicehall.queueing import selectors as queue_selectors

from . import scoring, selectors
from .models import Flower, StaffPhoto, StarFormula, StarReview
from .selectors import FORMULA_FIELDS

REVIEW_FIELDS = ["self_score", "peer_score", "leader_score", "bonus", "bonus_reason", "rated", "satisfied", "flowers",
                 "customer_score", "total", "level", "formula"]


def set_formula(*, company, values: dict, by) -> StarFormula:
    """The company's star formula (validated: weights total exactly 100, thresholds rising); reviews already
    recorded keep the formula they were computed by."""
    clean = scoring.validate({k: values.get(k) for k in FORMULA_FIELDS})
    with transaction.atomic():
        formula = StarFormula.objects.select_for_update().filter(company=company).first()
        before = audit.snapshot(formula, FORMULA_FIELDS) if formula else None
        if formula is None:
            formula = StarFormula(company=company)
        for key, value in clean.items():
            setattr(formula, key, value)
        formula.save()
        audit.record(actor=by, obj=formula, action="stars.formula", before=before, after=audit.snapshot(formula, FORMULA_FIELDS))
    return formula


def record_review(*, person, hall, quarter: dt.date, self_score, peer_score, leader_score, bonus=0, bonus_reason="",
                  by, now=None) -> StarReview:
    """R-A3: a person's star level of a quarter from the self, peer and leader scores entered here, the customer
    score read from the quarter's ratings and flowers, and a bonus for distinctive service (its reason required),
    by the company's formula, which is stored with the result. Recording again replaces the quarter's review."""
    now = now or timezone.now()
    policy.require(by, "stars.review", hall)
    if not policy.may(person, "stars.be_starred") or not person.halls.filter(pk=hall.pk).exists():
        raise NotFound(_("该员工不属于本营业厅或不参加星级评定。"))
    formula = selectors.formula_for(hall.region.company_id)
    if formula is None:
        raise DomainError(_("尚未设置星级服务公式，请联系考核领导小组设置。"), code="no_formula")
    scores = {name: scoring.score_in_range(value, name) for name, value in
              (("self_score", self_score), ("peer_score", peer_score), ("leader_score", leader_score))}
    try:
        bonus = scoring.one_place(bonus or 0)
    except ArithmeticError:
        raise DomainError(_("特色服务加分须为数字。"), code="bad_bonus", field="bonus") from None
    bonus_reason = (bonus_reason or "").strip()[:200]
    if bonus and not bonus_reason:
        raise DomainError(_("有特色服务加分时，请写明特色服务事迹。"), code="bonus_reason", field="bonus_reason")
    snapshot = scoring.snapshot(formula)
    inputs = selectors.customer_inputs(person, hall, quarter)
    result = scoring.compute(snapshot, **scores, bonus=bonus, **inputs)
    with transaction.atomic():
        review = StarReview.objects.select_for_update().filter(person=person, quarter=quarter).first()
        before = audit.snapshot(review, REVIEW_FIELDS) if review else None
        review = review or StarReview(person=person, quarter=quarter)
        fields = {**scores, "bonus": bonus, "bonus_reason": bonus_reason, **inputs, "customer_score": result.customer_score,
                  "total": result.total, "level": result.level, "formula": snapshot, "hall": hall, "recorded_by": by,
                  "recorded_at": now}
        for key, value in fields.items():
            setattr(review, key, value)
        review.save()
        audit.record(actor=by, obj=review, action="stars.review", before=before, after=audit.snapshot(review, REVIEW_FIELDS))
    return review


def _give(service, *, source, device=None, by=None, now) -> Flower:
    visit = queue_selectors.visit_of(service.ticket)
    try:
        with transaction.atomic():
            flower = Flower.objects.create(hall_id=service.hall_id, visit=visit, service=service, teller_id=service.teller_id,
                                           source=source, device=device, created_at=now)
            actor = by if by is not None else (f"device:{device.pk}:{device.name}" if device is not None else "customer")
            audit.record(actor=actor, obj=flower, action="stars.flower", after=audit.snapshot(flower, ["teller", "source", "visit"]))
    except IntegrityError:  # the unique visit: a second post of the same visit, however close in time, loses here
        raise Conflict(_("本次来访已经送过鲜花了，谢谢您！"), code="already_given") from None
    return flower


def give_flower_at_counter(*, counter, service_id=None, device=None, by=None, now=None) -> Flower:
    """The customer at the pad gives the teller who just served them a flower (R-A3). Only the counter's
    just-finished service may get one (the next customer's service has not started); naming another is refused."""
    now = now or timezone.now()
    policy.require(device or by, "stars.flower_at_counter", counter)
    service = queue_selectors.just_served(counter, now)
    if service is None or (service_id is not None and service.pk != service_id):
        raise Conflict(_("本窗口当前没有可以送花的服务（服务办结后才能送花）。"), code="not_flowerable")
    return _give(service, source=Flower.Source.PAD, device=device, by=by, now=now)


def give_flower_by_token(*, token, now=None) -> Flower:
    """The customer gives a flower from their ticket's phone page (its secret token is the key): to whoever
    served their visit last, within a day of the service."""
    now = now or timezone.now()
    ticket = queue_pages.ticket_by_token(token)
    if ticket is None:
        raise NotFound(_("排队票不存在。"))
    service = selectors.flowerable_by_visit(ticket, now=now)
    if service is None:
        raise Conflict(_("服务办结后 24 小时内可以送花。"), code="not_flowerable")
    return _give(service, source=Flower.Source.PHONE, now=now)


PHOTO = uploads.UploadRule(
    types=frozenset({"image/jpeg", "image/png", "image/webp"}), max_bytes=4 * 1024 * 1024, field="photo",
    what=_("照片"), types_label=_("JPEG、PNG 或 WebP"), code="photo",
)


def set_photo(*, person, hall, upload, by, now=None) -> StaffPhoto:
    """The photo customers see with the person's star level; a hall manager of the person's hall uploads it
    (checked by core.uploads: the type from the content, at most 4 MB). A new one replaces the old file."""
    policy.require(by, "stars.review", hall)
    content_type = uploads.check_upload(upload, PHOTO)
    with transaction.atomic():
        photo = StaffPhoto.objects.select_for_update().filter(person=person).first()
        old = photo.file.name if photo else None
        photo = photo or StaffPhoto(person=person)
        photo.content_type, photo.uploaded_by, photo.uploaded_at = content_type, by, now or timezone.now()
        photo.file.save("photo", upload, save=False)
        photo.save()
        audit.record(actor=by, obj=photo, action="stars.photo", after={"person": person.pk, "content_type": content_type}, hall_id=hall.pk)
        if old:
            storage, name = photo.file.storage, old
            transaction.on_commit(lambda: storage.delete(name))  # the replaced file, once the new row is committed
    return photo
