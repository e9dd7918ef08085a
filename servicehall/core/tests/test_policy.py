"""The policy mechanism (core.policy): one rule per action; roles, devices, `also` grants, `when` conditions
and hall scope decide; `require` answers 404 outside one's halls and 403 naming the action otherwise;
`@policy.page` guards a page; `{% may %}` asks in templates."""
from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from servicehall.core import policy
from servicehall.core.errors import Forbidden, NotFound


@dataclass
class Person:
    role_codes: frozenset
    halls: frozenset = frozenset({1})
    is_superuser: bool = False
    is_authenticated: bool = True
    is_active: bool = True
    pk: int = 7


@dataclass
class Machine:
    kind: str
    hall_id: int = 1
    counter_id: int | None = None
    is_device: bool = True


@dataclass
class Thing:
    hall_id: int | None
    owner_id: int | None = None


@pytest.fixture
def rules():
    """Test actions under a `testing.` prefix, removed afterwards; scope as org configures it (a person's
    halls, a device's own hall), restored afterwards."""
    before = dict(policy.RULES)
    saved = (policy._config.hall_ids, policy._config.hall_of)
    policy._config.hall_ids = lambda actor: frozenset({actor.hall_id}) if policy.is_device(actor) else actor.halls
    policy._config.hall_of = lambda obj: getattr(obj, "hall_id", None)
    policy.rule("testing.read", label="查看", roles={policy.ANY_STAFF}, devices={"board"})
    policy.rule("testing.close", label="结案", roles={"leader"})
    policy.rule("testing.work", label="处理", roles={"leader"}, also=lambda user, obj: obj.owner_id == user.pk)
    policy.rule("testing.verify", label="验证", roles={"leader"}, when=lambda user, obj: obj.owner_id != user.pk,
                when_refusal="不能验证自己的任务。")
    policy.rule("testing.rate", label="评价", devices={"pad"}, when=lambda device, obj: device.counter_id == obj.owner_id)
    yield
    policy.RULES.clear()
    policy.RULES.update(before)
    policy._config.hall_ids, policy._config.hall_of = saved


def test_an_action_is_declared_once_with_an_app_prefix(rules):
    with pytest.raises(ImproperlyConfigured, match="twice"):
        policy.rule("testing.close", label="again", roles={"leader"})
    with pytest.raises(ImproperlyConfigured, match="dotted"):
        policy.rule("close", label="no prefix")
    with pytest.raises(ImproperlyConfigured, match="unknown"):
        policy.may(Person(frozenset()), "testing.nothing")


def test_roles_decide_and_superusers_pass_role_checks(rules):
    assert policy.may(Person(frozenset({"leader"})), "testing.close")
    assert not policy.may(Person(frozenset({"teller"})), "testing.close")
    assert policy.may(Person(frozenset(), is_superuser=True), "testing.close")
    assert policy.may(Person(frozenset({"teller"})), "testing.read")  # "*": any signed-in member of staff
    assert not policy.may(Person(frozenset({"leader"}), is_authenticated=False), "testing.close")
    assert not policy.may(Person(frozenset({"leader"}), is_active=False), "testing.close")


def test_devices_are_named_by_kind_and_only_act_in_their_own_hall(rules):
    assert policy.may(Machine("board"), "testing.read")
    assert not policy.may(Machine("kiosk"), "testing.read")
    assert not policy.may(Machine("board"), "testing.close")
    assert policy.may(Machine("board"), "testing.read", Thing(hall_id=1))
    assert not policy.may(Machine("board"), "testing.read", Thing(hall_id=2))


def test_also_grants_beyond_the_roles_for_one_object(rules):
    owner = Person(frozenset({"teller"}), pk=7)
    assert policy.may(owner, "testing.work", Thing(hall_id=1, owner_id=7))
    assert not policy.may(owner, "testing.work", Thing(hall_id=1, owner_id=8))
    assert not policy.may(owner, "testing.work")  # without an object, only the roles grant


def test_when_must_hold_as_well_even_for_superusers(rules):
    leader = Person(frozenset({"leader"}), pk=7)
    assert policy.may(leader, "testing.verify", Thing(hall_id=1, owner_id=8))
    assert not policy.may(leader, "testing.verify", Thing(hall_id=1, owner_id=7))
    assert not policy.may(Person(frozenset(), is_superuser=True, pk=7), "testing.verify", Thing(hall_id=1, owner_id=7))
    with pytest.raises(Forbidden, match="不能验证自己的任务"):
        policy.require(leader, "testing.verify", Thing(hall_id=1, owner_id=7))
    assert policy.may(Machine("pad", counter_id=3), "testing.rate", Thing(hall_id=1, owner_id=3))
    assert not policy.may(Machine("pad", counter_id=3), "testing.rate", Thing(hall_id=1, owner_id=4))


def test_require_hides_objects_outside_ones_halls_and_names_the_refused_action(rules):
    leader = Person(frozenset({"leader"}))
    with pytest.raises(NotFound):
        policy.require(leader, "testing.close", Thing(hall_id=2))
    with pytest.raises(Forbidden, match="结案"):
        policy.require(Person(frozenset({"teller"})), "testing.close", Thing(hall_id=1))
    policy.require(leader, "testing.close", Thing(hall_id=1))
    policy.require(leader, "testing.close", Thing(hall_id=None))  # an object of no hall is everyone's


def test_the_system_may_everything(rules):
    assert policy.may(None, "testing.close", Thing(hall_id=2))
    policy.require(None, "testing.verify", Thing(hall_id=2, owner_id=None))


def test_page_signs_in_first_then_refuses_with_403(rules):
    @policy.page("testing.close")
    def view(request):
        return "ok"

    request = RequestFactory().get("/somewhere/")
    request.user = Person(frozenset({"leader"}), is_authenticated=False)
    assert view(request).status_code == 302
    request.user = Person(frozenset({"teller"}))
    with pytest.raises(Forbidden):
        view(request)
    request.user = Person(frozenset({"leader"}))
    assert view(request) == "ok"
    assert view.policy_action == "testing.close"


def test_templates_ask_the_policy_with_may(rules):
    template = Template('{% load policy %}{% may "testing.work" thing as can_work %}{% if can_work %}yes{% else %}no{% endif %}')
    request = RequestFactory().get("/")
    request.user = Person(frozenset({"teller"}), pk=7)
    assert template.render(Context({"request": request, "thing": Thing(hall_id=1, owner_id=7)})) == "yes"
    assert template.render(Context({"request": request, "thing": Thing(hall_id=1, owner_id=8)})) == "no"
    # a device page passes its device as `actor`
    assert template.render(Context({"request": request, "actor": Machine("kiosk"), "thing": Thing(hall_id=1, owner_id=7)})) == "no"
