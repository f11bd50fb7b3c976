"""What the audit log says is written in English and read in the reader's language.

The rule every caller of the audit functions keeps (core/audit.py):

- ``summary=`` is a text marked for translation: ``gettext_noop("<literal>")``, or a
  conditional expression whose branches are such texts (``gettext_noop("user activated") if
  active else gettext_noop("user deactivated")``);
- its values are data passed in ``params=`` (a name, a reference, a date as ``isoformat()``,
  a number, a code), never formatted into it: no f-string, ``+``, ``%``, ``.format()``,
  ``str()`` and no plain string or attribute, which would be stored as written and read
  in English (or in the writer's language) by everybody;
- every ``%(name)s`` of the text is given in ``params``, and a text with a ``%`` has them
  (a literal percent is ``%%``);
- a function that passes on a summary it was given (``audit_households_shown``) is a wrapper:
  its own callers keep the rule;
- events are built in core/audit.py only, so that no module writes its own ``AuditEvent``.
"""

import ast
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import tillsammans
from tillsammans.addedvalues.models import Service, ServiceCategory
from tillsammans.finance.services import report_start, report_update
from tillsammans.reception.models import ExitReason
from tillsammans.reception.services import stay_end
from tillsammans.referrals.models import ConsentScope, ExplainedIn
from tillsammans.referrals.services import consent_record, referral_accept, referral_send

PACKAGE = Path(tillsammans.__file__).parent
AUDIT_API = {"audit_record", "audit_view", "audit_views", "audit_records"}
EVENTS_MODULE = PACKAGE / "core" / "audit.py"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass
class Checked:
    problems: list[str]
    msgids: list[str]
    calls: int


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE.parent)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts)
    }


def _called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    return {arg.arg for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]}


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def audit_functions(modules: dict[str, ast.Module]) -> set[str]:
    """The audit API and every wrapper: a function that passes its own parameter on as the
    summary of an audit function (found again until no new one turns up)."""
    names = set(AUDIT_API)
    while True:
        wrappers = {
            function.name
            for tree in modules.values()
            for function in _functions(tree)
            for call in ast.walk(function)
            if isinstance(call, ast.Call)
            and _called(call) in names
            and isinstance(summary := _keyword(call, "summary"), ast.Name)
            and summary.id in _parameters(function)
        }
        if wrappers <= names:
            return names
        names |= wrappers


def _texts(node: ast.expr) -> list[str] | None:
    """The msgids of a summary, or None when it is not made only of marked literals."""
    if isinstance(node, ast.IfExp):
        body, orelse = _texts(node.body), _texts(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if (
        isinstance(node, ast.Call)
        and _called(node) == "gettext_noop"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return [node.args[0].value]
    return None


def _what(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp):
        return "text built with an operator"
    if isinstance(node, ast.Constant):
        return "a plain string"
    if isinstance(node, ast.Call):
        return f"a call of {_called(node)}()"
    return f"`{ast.unparse(node)}`"


def check(modules: dict[str, ast.Module]) -> Checked:
    names = audit_functions(modules)
    result = Checked(problems=[], msgids=[], calls=0)

    def visit(path: str, node: ast.AST, passing_on: set[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            passing_on = _parameters(node) if node.name in names else set()
        if isinstance(node, ast.Call):
            check_call(path, node, passing_on)
        for child in ast.iter_child_nodes(node):
            visit(path, child, passing_on)

    def check_call(path: str, call: ast.Call, passing_on: set[str]) -> None:
        where = f"{path}:{call.lineno}"
        called = _called(call)
        if called == "AuditEvent" or (
            called in {"create", "bulk_create", "get_or_create", "update_or_create"}
            and isinstance(call.func, ast.Attribute)
            and "AuditEvent" in ast.unparse(call.func.value)
        ):
            if path != str(EVENTS_MODULE.relative_to(PACKAGE.parent)):
                result.problems.append(
                    f"{where}: builds AuditEvent by hand; use core/audit.py (audit_records)"
                )
            return
        if called not in names:
            return
        result.calls += 1
        if any(kw.arg is None for kw in call.keywords) or call.args:
            result.problems.append(f"{where}: {called}() takes its arguments by name, no ** or *")
            return
        summary, params = _keyword(call, "summary"), _keyword(call, "params")
        if summary is None or (isinstance(summary, ast.Name) and summary.id in passing_on):
            return
        texts = _texts(summary)
        if texts is None:
            result.problems.append(
                f"{where}: summary is {_what(summary)}; write "
                'gettext_noop("... %(name)s ...") and give the values in params='
            )
            return
        given = (
            {key.value for key in params.keys if isinstance(key, ast.Constant)}
            if isinstance(params, ast.Dict) and all(key is not None for key in params.keys)
            else None
        )
        for text in texts:
            result.msgids.append(text)
            if "%" in PLACEHOLDER.sub("", text).replace("%%", ""):
                result.problems.append(f"{where}: {text!r} has a % that is not %%")
            elif "%" in text and params is None:
                result.problems.append(f"{where}: {text!r} has placeholders but no params=")
            elif given is not None and (missing := set(PLACEHOLDER.findall(text)) - given):
                result.problems.append(f"{where}: {text!r} lacks params {sorted(missing)}")

    for path, tree in modules.items():
        visit(path, tree, set())
    return result


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check(_modules())


def test_it_finds_every_audit_call_and_the_wrappers(checked):
    # given
    modules = _modules()
    # when
    names = audit_functions(modules)
    # then
    assert "audit_households_shown" in names
    assert checked.calls > 140


def test_it_writes_every_summary_as_a_text_for_translation_with_its_values_as_data(checked):
    # then
    assert checked.problems == []


def test_it_has_a_swedish_and_a_ukrainian_translation_of_every_summary(checked, db):
    # given
    msgids = sorted(set(checked.msgids))
    # when
    untranslated = {}
    for language in ("sv", "uk"):
        with translation.override(language):
            untranslated[language] = [m for m in msgids if translation.gettext(m) == m]
    # then
    assert len(msgids) > 100
    assert untranslated == {"sv": [], "uk": []}


def _problems_in(source: str, path: str = "tillsammans/some/services.py") -> list[str]:
    return check({path: ast.parse(source)}).problems


@pytest.mark.parametrize(
    "source",
    [
        'audit_record(actor=a, action=b, summary=f"moved out {household}")',
        'audit_record(actor=a, action=b, summary="changed " + ", ".join(changed))',
        'audit_record(actor=a, action=b, summary="moved out %s" % household)',
        'audit_record(actor=a, action=b, summary="moved out {}".format(household))',
        'audit_record(actor=a, action=b, summary="job ended")',
        "audit_record(actor=a, action=b, summary=site.name)",
        "audit_record(actor=a, action=b, summary=str(unit))",
        'audit_record(actor=a, action=b, summary=_("job ended"))',
        'audit_view(actor=a, obj=o, summary=gettext_noop("opened") if x else "closed")',
        'audit_views(actor=a, objs=o, summary=gettext_noop("moved out %(household)s"))',
        'audit_view(actor=a, obj=o, summary=gettext_noop("from %(on)s"), params={"to": 1})',
        'audit_view(actor=a, obj=o, summary=gettext_noop("100%% done"))',
        'audit_view(actor=a, obj=o, summary=gettext_noop("5% of %(x)s"), params={"x": 1})',
        "audit_record(actor=a, action=b, **fields)",
        'AuditEvent.objects.bulk_create([AuditEvent(summary="x")])',
        # A wrapper's callers are held to the rule too.
        "def shown(*, actor, summary):\n"
        "    audit_views(actor=actor, objs=[], summary=summary)\n"
        'shown(actor=a, summary=f"page of {household}")',
    ],
)
def test_it_refuses_a_summary_that_would_be_read_in_english(source):
    # when
    problems = _problems_in(source)
    # then
    assert problems


@pytest.mark.parametrize(
    "source",
    [
        'audit_record(actor=a, action=b, summary=gettext_noop("job ended"))',
        'audit_record(actor=a, action=b, summary=gettext_noop("moved out %(household)s on '
        '%(on)s"), params={"household": h, "on": on.isoformat()})',
        'audit_record(actor=a, action=b, summary=gettext_noop("user activated") if active '
        'else gettext_noop("user deactivated"))',
        'audit_record(actor=a, action=b, summary=gettext_noop("rate %(amount)s"), '
        "params=_rate_params(rate))",
        'audit_view(actor=a, obj=o, summary=gettext_noop("gap %(gap)s, 100%% sure"), '
        'params={"gap": g})',
        "audit_record(actor=a, action=b, obj=o)",
        "def shown(*, actor, summary):\n"
        "    audit_views(actor=actor, objs=[], summary=summary)\n"
        'shown(actor=a, summary=gettext_noop("household list"))',
    ],
)
def test_it_accepts_a_text_for_translation_with_its_values_as_data(source):
    # when
    problems = _problems_in(source)
    # then
    assert problems == []


# -- the log read by a Swedish coordinator after real work -----------------------------------


def test_it_shows_a_swedish_coordinator_what_was_done_in_swedish_with_its_values(cast, client):
    # given: a monthly report changed, a referral sent and accepted, a move-out
    from tests.access_rows.finance import month

    month(cast)  # the agreement the report is under
    report = report_start(actor=cast.a_staff, year=2022, month=9)
    report_update(
        actor=cast.a_staff,
        report=report,
        costs={"staff": Decimal("1200.50")},
        volunteer_hours=Decimal(0),
        donated_goods=Decimal(0),
        own_funds=Decimal(0),
    )
    consent_record(
        actor=cast.a_staff,
        household=cast.household_a,
        scopes=[ConsentScope.NAME_CONTACT],
        partners=[cast.org_b],
        given_on=dt.date(2022, 8, 1),
        explained_in=ExplainedIn.UKRAINIAN,
    )
    service = Service.objects.create(
        organisation=cast.org_b,
        name_sv="Språkcafé B",
        name_en="Language café B",
        category=ServiceCategory.LANGUAGE,
    )
    olena = cast.household_a.persons.get(first_name_latin="Olena")
    referral = referral_send(actor=cast.a_staff, person=olena, service=service)
    referral_accept(actor=cast.b_staff, referral=referral)
    stay_end(
        actor=cast.a_staff, stay=cast.stay_a, on=dt.date(2022, 10, 1), reason=ExitReason.OWN_HOUSING
    )
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("audit_list")).content.decode()
    # then
    # a choice and field names are words in the reader's language, not codes
    assert "flyttade ut H-A den 2022-10-01 (Eget boende)" in page
    assert "månadsrapport A 2022-09 v1: ändrade personal" in page
    assert (
        "hänvisning av person i H-A till Språkcafé B (B); delat: "
        "Namn, födelsedatum och hur personen nås"
    ) in page
    assert str(olena.public_id) not in page and "Olena" not in page  # a person, not a name
    assert "samtycke för hushåll" in page and "name_contact" not in page
    assert "samtycke för hushåll" in page
    assert "<td>accepterad</td>" in page
    for english in ("moved out", "monthly report", "referral of person", "consent of household",
                    "own_housing", "cost_staff"):  # fmt: skip
        assert english not in page
