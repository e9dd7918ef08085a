"""The formats of application-form fields (R-Q11) and their masks (R-P1)."""
import pytest
from django.core.exceptions import ValidationError

from servicehall.catalogue.fields import clean_value, masked
from servicehall.catalogue.models import FieldSource


@pytest.mark.parametrize("source, typed, cleaned", [
    (FieldSource.ID_NUMBER, " 11010519491231002x ", "11010519491231002X"),
    (FieldSource.PHONE, "136 1234 5678", "13612345678"),
    (FieldSource.PHONE, "010-12345678", "010-12345678"),
    (FieldSource.ACCOUNT, "0123456789", "0123456789"),
    (FieldSource.ID_ADDRESS, "  北京市朝阳区 ", "北京市朝阳区"),
])
def test_r_q11_values_are_normalised_by_the_document_they_come_from(source, typed, cleaned):
    assert clean_value(source, typed) == cleaned


@pytest.mark.parametrize("source, typed, code", [
    (FieldSource.ID_NUMBER, "110105194912310021", "bad_id_check"),
    (FieldSource.ID_NUMBER, "11010519491231002Y", "bad_id_number"),
    (FieldSource.PHONE, "2345678", "bad_phone"),
    (FieldSource.PHONE, "1361234567", "bad_phone"),
    (FieldSource.ACCOUNT, "12ab", "bad_account"),
])
def test_r_q11_a_wrong_value_is_refused_in_chinese(source, typed, code):
    with pytest.raises(ValidationError) as refused:
        clean_value(source, typed)
    assert refused.value.code == code and any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.messages[0])


def test_r_p1_only_the_id_number_and_phone_are_masked():
    assert masked(FieldSource.ID_NUMBER, "11010519491231002X") == "1101**********002X"
    assert masked(FieldSource.PHONE, "13612345678") == "136****5678"
    assert masked(FieldSource.ID_NAME, "王小明") == "王小明"
