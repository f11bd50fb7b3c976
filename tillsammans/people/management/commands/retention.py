"""Retention (ADR 38): anonymise the case records whose last entry is older than
RETENTION_YEARS, unless held or a child's, then the records of others that follow a rule of
their own (hosts). --dry-run lists each decision and changes nothing."""

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
        reports = retention.run_all(dry_run=dry_run)
        for report in reports:
            for decision in report.decisions:
                action = "anonymise" if decision.anonymise else "keep"
                self.stdout.write(
                    f"{decision.label}\t{decision.last_entry.date().isoformat()}\t"
                    f"{action}\t{decision.reason}"
                )
        if dry_run:
            would = "; ".join(
                f"{sum(1 for d in report.decisions if d.anonymise)} {report.noun} would be "
                f"anonymised, {len(report.kept)} kept"
                for report in reports
            )
            self.stdout.write(f"Dry run: {would}. Nothing was changed.")
            return
        for report in reports:
            self.stdout.write(f"{report.counted().capitalize()}.")
            for label, count in sorted(report.rows.items()):
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write("The audit log is kept whole (append-only, at least five years).")
