"""Writes to the business catalogue."""
import json
from pathlib import Path

from django.db import transaction

from servicehall.core import audit

from .models import BusinessFamily, BusinessForm, BusinessType, FormField, RequiredDocument, ServiceCategory, StageDefinition

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


@transaction.atomic
def load_catalogue(*, path: Path = DEFAULT_FILE, overwrite: bool = False, by=None) -> dict[str, int]:
    """Load the catalogue data file. Items already present are kept as edited in the admin unless
    `overwrite` is set; returns how many rows were created or updated."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {"categories": 0, "families": 0, "types": 0, "documents": 0, "stages": 0, "forms": 0}

    def upsert(model, code, fields, stages=None):
        """`stages`: a family's or type's work-order stages from the file, shown in its audit row (R-B3)."""
        m2m = ("stages",) if stages is not None else ()
        obj = model.objects.filter(code=code).first()
        if obj is None:
            obj = model.objects.create(code=code, **fields)
            counts["stages"] += _load_stages(obj, stages or (), replace=True)
            audit.record(actor=by, obj=obj, action="catalogue.load", after=audit.snapshot(obj, m2m=m2m))
            return obj, True
        before = audit.snapshot(obj, m2m=m2m)
        if overwrite:
            for key, value in fields.items():
                setattr(obj, key, value)
            obj.save()
        loaded = _load_stages(obj, stages or (), replace=overwrite)
        counts["stages"] += loaded
        if overwrite or loaded:
            audit.record(actor=by, obj=obj, action="catalogue.load", before=before, after=audit.snapshot(obj, m2m=m2m))
        return obj, overwrite

    categories = {}
    for row in data["categories"]:
        fields = {k: row[k] for k in ("name", "prefix", "order")} | {"description": row.get("description", "")}
        categories[row["code"]], created = upsert(ServiceCategory, row["code"], fields)
        counts["categories"] += created
    for fam in data["families"]:
        family, created = upsert(BusinessFamily, fam["code"], {"name": fam["name"], "order": fam["order"]}, stages=fam.get("stages", ()))
        counts["families"] += created
        for order, row in enumerate(fam["types"]):
            fields = {
                "family": family,
                "category": categories[row["category"]],
                "name": row["name"],
                "time_limit_seconds": int(row["minutes"] * 60),
                "one_id_acceptance": row["one_id"],
                "process": row.get("process", ""),
                "explanation": row.get("explanation", ""),
                "cautions": row.get("cautions", ""),
                "order": order,
            }
            business, created = upsert(BusinessType, row["code"], fields, stages=row.get("stages", ()))
            counts["types"] += created
            if created:
                business.documents.all().delete()
                for doc_order, (name, note, original, copies, mandatory) in enumerate(row["documents"]):
                    RequiredDocument.objects.create(
                        business=business, name=name, note=note, is_original=original, copies=copies,
                        is_mandatory=mandatory, order=doc_order,
                    )
                    counts["documents"] += 1
    for code, form in data.get("forms", {}).items():
        counts["forms"] += _load_form(BusinessType.objects.get(code=code), form, overwrite=overwrite, by=by)
    return counts


def _load_form(business, data, *, overwrite, by) -> int:
    """A business's application form from the file: written when it has none (a database loaded before forms
    existed gets them), replaced only with `overwrite`, else kept as edited in the admin."""
    existing = BusinessForm.objects.filter(business=business).first()
    if existing is not None and not overwrite:
        return 0
    if existing is not None:
        existing.delete()
    form = BusinessForm.objects.create(business=business, title=data["title"])
    FormField.objects.bulk_create([FormField(form=form, key=key, label=label, source=source, required=required, order=order)
                                   for order, (key, label, source, required) in enumerate(data["fields"])])
    audit.record(actor=by, obj=form, action="catalogue.load", after={"title": form.title, "fields": [row[0] for row in data["fields"]]})
    return 1


def _load_stages(owner, rows, *, replace) -> int:
    """A family's or a type's work-order stages from the file: written when it has none yet (a database loaded
    before stages existed gets them), replaced only with `replace` (overwrite), else kept as edited in the admin."""
    if not rows:
        return 0
    existing = owner.stages.all()
    if existing.exists() and not replace:
        return 0
    existing.delete()
    field = "family" if isinstance(owner, BusinessFamily) else "business"
    StageDefinition.objects.bulk_create([StageDefinition(order=order, name=name, working_hours=int(hours), **{field: owner})
                                         for order, (name, hours) in enumerate(rows)])
    return len(rows)
