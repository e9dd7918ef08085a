"""A closed month is immutable in the database too (R-A1): PostgreSQL triggers refuse any change to a closed
month row and any insert, update or delete of a score, veto or objection of a closed month — whatever path
the write takes (a service, the admin, a shell). Reopening does not touch the closed row: it adds a version."""
from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION assessment_closed_month_row() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'assessment month % is closed and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION assessment_closed_month_child() RETURNS trigger AS $$
DECLARE
    month_ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        month_ids := ARRAY[NEW.month_id];
    ELSIF TG_OP = 'DELETE' THEN
        month_ids := ARRAY[OLD.month_id];
    ELSE
        month_ids := ARRAY[OLD.month_id, NEW.month_id];
    END IF;
    IF EXISTS (SELECT 1 FROM assessment_assessmentmonth WHERE id = ANY(month_ids) AND status = 'closed') THEN
        RAISE EXCEPTION 'assessment month is closed: its % rows cannot change', TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION assessment_closed_objection() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM assessment_monthlyscore s JOIN assessment_assessmentmonth m ON m.id = s.month_id
               WHERE s.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.score_id ELSE NEW.score_id END AND m.status = 'closed') THEN
        RAISE EXCEPTION 'assessment month is closed: its objections cannot change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER assessment_month_closed BEFORE UPDATE OR DELETE ON assessment_assessmentmonth
    FOR EACH ROW EXECUTE FUNCTION assessment_closed_month_row();
CREATE TRIGGER assessment_score_closed BEFORE INSERT OR UPDATE OR DELETE ON assessment_monthlyscore
    FOR EACH ROW EXECUTE FUNCTION assessment_closed_month_child();
CREATE TRIGGER assessment_veto_closed BEFORE INSERT OR UPDATE OR DELETE ON assessment_veto
    FOR EACH ROW EXECUTE FUNCTION assessment_closed_month_child();
CREATE TRIGGER assessment_objection_closed BEFORE INSERT OR UPDATE OR DELETE ON assessment_objection
    FOR EACH ROW EXECUTE FUNCTION assessment_closed_objection();
"""

DROP = """
DROP TRIGGER IF EXISTS assessment_objection_closed ON assessment_objection;
DROP TRIGGER IF EXISTS assessment_veto_closed ON assessment_veto;
DROP TRIGGER IF EXISTS assessment_score_closed ON assessment_monthlyscore;
DROP TRIGGER IF EXISTS assessment_month_closed ON assessment_assessmentmonth;
DROP FUNCTION IF EXISTS assessment_closed_objection();
DROP FUNCTION IF EXISTS assessment_closed_month_child();
DROP FUNCTION IF EXISTS assessment_closed_month_row();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite (a developer's quick run) keeps the service refusals only
        schema_editor.execute(FUNCTIONS, params=None)  # None: the RAISE format's % is not a placeholder


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
