"""Retention (ADR 38): anonymise the case records whose last entry is older than
RETENTION_YEARS, unless held or a child's. --dry-run lists each decision and changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tillsammans.people import retention


class Command(BaseCommand):
    help = "Anonymise case records five years after their last entry (--dry-run: list only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change and why; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        report = retention.run(dry_run=dry_run)
        for decision in report.decisions:
            action = "anonymise" if decision.anonymise else "keep"
            self.stdout.write(
                f"{decision.household.reference}\t{decision.last_entry.date().isoformat()}\t"
                f"{action}\t{decision.reason}"
            )
        due = sum(1 for decision in report.decisions if decision.anonymise)
        if dry_run:
            self.stdout.write(
                f"Dry run: {due} households would be anonymised, {len(report.kept)} kept. "
                "Nothing was changed."
            )
            return
        self.stdout.write(
            f"Anonymised {report.households} households and {report.persons} persons; "
            f"kept {len(report.kept)}."
        )
        for label, count in sorted(report.rows.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write("The audit log is kept whole (append-only, at least five years).")
