"""Loading the catalogue data file: idempotent, keeps what administrators edited unless told to overwrite."""
import json

from django.core.management import call_command

from servicehall.catalogue.models import BusinessFamily, BusinessType, RequiredDocument, ServiceCategory
from servicehall.catalogue.services import DEFAULT_FILE, load_catalogue
from servicehall.core.models import AuditEntry


def test_r_b1_the_data_file_seeds_every_business_family_of_the_catalogue(db):
    counts = load_catalogue()
    assert counts["categories"] == 5 and counts["families"] >= 13 and counts["types"] >= 27
    names = set(BusinessFamily.objects.values_list("name", flat=True))
    for family in ["低压居民新装与增容", "临时用电", "分布式光伏并网", "电动汽车充电设施", "柜台收费", "收费差错处理", "票据与资金管理"]:
        assert family in names
    assert BusinessType.objects.filter(name="坐收冲正").exists() and BusinessType.objects.filter(name="重复收费更正").exists()


def test_loading_twice_creates_nothing_the_second_time(db):
    load_catalogue()
    before = (ServiceCategory.objects.count(), BusinessType.objects.count(), RequiredDocument.objects.count())
    assert load_catalogue() == {"categories": 0, "families": 0, "types": 0, "documents": 0, "stages": 0, "forms": 0}
    assert (ServiceCategory.objects.count(), BusinessType.objects.count(), RequiredDocument.objects.count()) == before


def test_reloading_keeps_what_an_administrator_edited(db):
    load_catalogue()
    BusinessType.objects.filter(code="fee-electricity").update(time_limit_seconds=240, name="电费缴纳（含发票）")
    business = BusinessType.objects.get(code="lv-res-new")
    business.documents.create(name="补充资料", order=9)
    call_command("load_catalogue", stdout=open("/dev/null", "w"))
    fee = BusinessType.objects.get(code="fee-electricity")
    assert (fee.time_limit_seconds, fee.name) == (240, "电费缴纳（含发票）")
    assert business.documents.filter(name="补充资料").exists()


def test_overwrite_restores_the_data_file(db):
    load_catalogue()
    BusinessType.objects.filter(code="fee-electricity").update(time_limit_seconds=240)
    business = BusinessType.objects.get(code="lv-res-new")
    business.documents.create(name="补充资料", order=9)
    call_command("load_catalogue", "--overwrite", stdout=open("/dev/null", "w"))
    assert BusinessType.objects.get(code="fee-electricity").time_limit_seconds == 300
    assert not business.documents.filter(name="补充资料").exists()
    assert business.documents.count() == 3


def test_loading_is_audited(db):
    load_catalogue()
    assert AuditEntry.objects.filter(object_type="catalogue.businesstype", action="catalogue.load").count() == BusinessType.objects.count()


def test_the_data_file_is_well_formed():
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    prefixes = [c["prefix"] for c in data["categories"]]
    assert len(prefixes) == len(set(prefixes)) and all(p.isupper() and len(p) == 1 for p in prefixes)
    codes = [t["code"] for f in data["families"] for t in f["types"]]
    assert len(codes) == len(set(codes))
    categories = {c["code"] for c in data["categories"]}
    for family in data["families"]:
        for business in family["types"]:
            assert business["category"] in categories, business["code"]
            assert business["minutes"] in (5, 20), business["code"]  # R-Q8 defaults: 5 min fee items, 20 min electricity business
            assert all(len(doc) == 5 for doc in business["documents"]), business["code"]


def test_r_b3_stages_come_from_the_file_a_types_own_replacing_its_familys_and_admin_edits_are_kept(db):
    from servicehall.catalogue.models import StageDefinition
    from servicehall.catalogue.selectors import stages_for

    load_catalogue()
    types = {bt.code: bt.pk for bt in BusinessType.objects.all()}
    stages = stages_for(types.values())
    assert stages[types["lv-res-new"]] == [("受理审核", 8), ("现场勘查", 16), ("装表接电", 24), ("资料归档", 8)]
    assert stages[types["temp-extend"]] == [("受理审核", 8), ("延期审批", 16)]  # its own, not 临时用电's
    assert types["fee-electricity"] not in stages  # finished at the counter: no work order
    edited = StageDefinition.objects.get(family__code="lv-residential", name="现场勘查")
    edited.working_hours = 12
    edited.save()  # as the admin saves it: the per-process cache of the stages is dropped
    assert load_catalogue()["stages"] == 0
    assert stages_for([types["lv-res-new"]])[types["lv-res-new"]][1] == ("现场勘查", 12)
    StageDefinition.objects.filter(family__code="closing").delete()  # a database loaded before stages existed
    assert load_catalogue()["stages"] == 3


def test_r_q11_the_residential_businesses_have_application_forms_read_from_the_documents(db):
    """The guide pre-fills these from the ID card, the account number and the property certificate; a form edited in
    the admin is kept on reload, replaced only with overwrite."""
    from servicehall.catalogue.models import BusinessForm, FieldSource, FormField
    from servicehall.catalogue.selectors import application_form

    assert load_catalogue()["forms"] >= 7
    form = application_form(BusinessType.objects.get(code="lv-res-new").pk)
    assert form.title == "低压居民用电新装申请表"
    assert [(f.key, f.source, f.required) for f in form.fields.all()] == [
        ("applicant", FieldSource.ID_NAME, True), ("id_number", FieldSource.ID_NUMBER, True), ("id_address", FieldSource.ID_ADDRESS, False),
        ("address", FieldSource.PROPERTY_ADDRESS, True), ("phone", FieldSource.PHONE, True)]
    assert application_form(BusinessType.objects.get(code="fee-electricity").pk) is None  # paid at the counter: no form
    FormField.objects.filter(form=form, key="id_address").update(required=True)
    assert load_catalogue()["forms"] == 0 and FormField.objects.get(form=form, key="id_address").required
    assert load_catalogue(overwrite=True)["forms"] == BusinessForm.objects.count()
    assert not application_form(form.business_id).fields.get(key="id_address").required
