"""Small builders for the inspections tests."""
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from servicehall.inspections import services
from servicehall.inspections.models import ChecklistTemplate, Inspection, InspectionKind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def upload(content=PNG, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def tiny_template(by, *, code="tiny", items=(("a", "pass_fail", 1, False), ("b", "pass_fail", 1, False)), pass_mark=80) -> ChecklistTemplate:
    template = services.create_template(code=code, name=f"测试表 {code}", kind="other", by=by)
    version = template.versions.get()
    services.update_version_settings(version=version, by=by, pass_mark=pass_mark)
    section = services.add_section(version=version, title="第一节", by=by)
    for key, kind, weight, critical in items:
        services.add_item(section=section, key=key, text=f"检查 {key}", kind=kind, weight=weight, critical=critical,
                          max_score=5 if kind == "score" else None, number_max=5 if kind == "number" else None, by=by)
    services.publish_version(version=version, by=by)
    return template


def plan(org, *, hall=None, kind=InspectionKind.MYSTERY, code="mystery-visit", by="supervisor_all", assigned="mystery", day=None) -> Inspection:
    return services.plan_inspection(
        hall=hall or org.hall_a, kind=kind, template=services.template_by_code(code) or ChecklistTemplate.objects.get(code=code),
        planned_for=day or dt.date(2026, 3, 2), assigned_to=org.user(assigned) if assigned else None, by=org.user(by),
    )


def fill(inspection, by, *, fail=()):
    """Answer every scored item: the keys in `fail` fail, the rest pass."""
    for item in inspection.version.items.all():
        bad = item.key in fail
        if item.kind == "pass_fail":
            services.save_answer(inspection=inspection, item_id=item.pk, by=by, result="fail" if bad else "pass", note="现场发现" if bad else None)
        elif item.kind == "score":
            services.save_answer(inspection=inspection, item_id=item.pk, by=by, score="0" if bad else str(item.max_score))
        elif item.kind == "number":
            limit = item.number_max if item.number_max is not None else 0
            services.save_answer(inspection=inspection, item_id=item.pk, by=by, number=str(limit + 1 if bad else limit))
        elif item.kind == "text":
            services.save_answer(inspection=inspection, item_id=item.pk, by=by, text="记录")
    inspection.refresh_from_db()
    return inspection


def big_file(size):
    return io.BytesIO(PNG + b"\x00" * (size - len(PNG)))
