"""Reminders of monthly reports (issue 15's periodic jobs): from the reminder day, each
partner of an agreement that has not submitted the month before's report is e-mailed once,
at the addresses of its staff who write reports; a submitted report is not reminded of."""

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from tillsammans.core.models import AuditEvent
from tillsammans.finance import reminders, selectors
from tillsammans.finance.models import MonthlyReport, ReportReminder, ReportStatus

APRIL_10 = dt.date(2026, 4, 10)
MARCH = dt.date(2026, 3, 1)


def _partners(agreement):
    return list(selectors.partners_of_month(agreement, 2026, 3))


@override_settings(SERVICE_URL="https://tillsammans.example.se", REPORT_REMINDER_DAY=10)
def test_each_partner_without_a_submitted_report_is_reminded_once(cast, agreement):
    partners = _partners(agreement)
    assert cast.org_a in partners and cast.org_b in partners
    # given partner B submitted March, and partner A did not
    MonthlyReport.objects.create(
        agreement=agreement, organisation=cast.org_b, month=MARCH, status=ReportStatus.SUBMITTED
    )
    # before the reminder day, nothing is sent
    assert reminders.remind(dt.date(2026, 4, 9)) == (0, 0) and not mail.outbox
    # when the day comes, partner A's report writers get one mail, in Swedish and English
    sent, failed = reminders.remind(APRIL_10)
    assert failed == 0 and sent == len(partners) - 1
    to_a = [m for m in mail.outbox if cast.a_staff.email in m.to]
    assert len(to_a) == 1
    message = to_a[0]
    assert set(message.to) == {cast.a_staff.email, cast.a_admin.email}
    assert message.subject == "Månadsrapporten för 2026-03 är inte inskickad"
    assert cast.org_a.name in message.body and "has not been submitted yet" in message.body
    assert "https://tillsammans.example.se/finance/" in message.body
    assert not [m for m in mail.outbox if cast.b_staff.email in m.to]
    # and the reminder is recorded and audited; a second run sends nothing more
    assert ReportReminder.objects.filter(organisation=cast.org_a, month=MARCH).exists()
    assert AuditEvent.objects.filter(object_type="finance.reportreminder").count() == sent
    before = len(mail.outbox)
    assert reminders.remind(dt.date(2026, 4, 11)) == (0, 0) and len(mail.outbox) == before


@override_settings(REPORT_REMINDER_DAY=10, SERVICE_URL="")
def test_a_mail_that_fails_is_tried_again_at_the_next_run(cast, agreement, monkeypatch):
    import smtplib

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("tillsammans.core.lib.mail.send_mail", broken)
    sent, failed = reminders.remind(APRIL_10)
    assert sent == 0 and failed >= 1 and not ReportReminder.objects.exists()
    monkeypatch.undo()
    sent, failed = reminders.remind(APRIL_10)
    assert failed == 0 and sent >= 1
    # without the service's address the mail says where to go instead of a link
    assert "Logga in i Tillsammans" in mail.outbox[0].body


def test_the_scheduler_runs_it(cast, agreement):
    call_command("scheduler", "--run", "report_reminders", verbosity=0)
