"""Writes of the allocation import: keep an upload for its preview, then commit it whole."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.fields import fernet
from tillsammans.core.lib.bulk import insert_many
from tillsammans.core.lib.tables import RowErrors, rows_about
from tillsammans.core.models import AuditAction
from tillsammans.people.models import Household, Person, PersonNameKey
from tillsammans.people.search import name_keys
from tillsammans.people.services import person_names, prepare_person

from .error_codes import ReceptionErrorCode as Code
from .imports import (
    ImportPreview,
    PreviewSummary,
    parse_allocation_file,
    refuse_shared_numbers,
    taken_references,
)
from .models import Allocation, AllocationStatus, ImportBatch, PendingImport

PENDING_IMPORT_LIFETIME = dt.timedelta(hours=2)
# Rows per INSERT statement; Django splits further where a database needs it.
CHUNK = 2_000
KEYS_PER_STATEMENT = 5_000

CODE_HAS_ERRORS = Code.IMPORT_HAS_ERRORS
CODE_TAKEN = Code.IMPORT_REFERENCES_TAKEN
CODE_EXPIRED = Code.IMPORT_EXPIRED
CODE_DONE = Code.IMPORT_ALREADY_DONE


class ImportRejected(ServiceError):
    """The file has errors; ``preview`` lists them by line."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(
            CODE_HAS_ERRORS,
            _("The file has errors and nothing was imported. Correct them and upload it again."),
        )
        self.preview = preview


def _require_coordinator(actor: Any) -> None:
    if not access.is_coordinator(actor):
        raise PermissionDenied(_("Only a coordinator can import allocations."))


def allocations_import(*, actor: Any, preview: ImportPreview, file_name: str) -> ImportBatch:
    """Store every household, person and allocation of a checked file, or nothing at all."""
    _require_coordinator(actor)
    if not preview.ok:
        raise ImportRejected(preview)
    households = preview.households
    with transaction.atomic():
        # The preview may be minutes old; another import could have taken a reference since.
        # On PostgreSQL a concurrent import can still pass this check: the unique
        # constraints below are the backstop.
        taken_households, taken_allocations = taken_references(households)
        if taken_households or taken_allocations:
            raise _taken_error(taken_households | taken_allocations)
        problems = RowErrors()
        if refuse_shared_numbers(households, problems):
            raise ImportRejected(ImportPreview(errors=problems.sorted(), rows=preview.rows))
        batch = ImportBatch.objects.create(
            uploaded_by=actor,
            file_name=file_name[:255],
            rows=preview.rows,
            households=len(households),
        )
        try:
            with transaction.atomic():
                _store(batch, preview)
        except IntegrityError as exc:
            raise _taken_error(set()) from exc
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=batch,
            summary=gettext_noop(
                "allocation list: households %(households)s, persons %(persons)s, rows %(rows)s"
            ),
            params={
                "households": len(households),
                "persons": preview.persons,
                "rows": preview.rows,
            },
        )
    return batch


def _taken_error(references: set[str]) -> ServiceError:
    if references:
        return ServiceError(
            CODE_TAKEN,
            _(
                "Nothing was imported: these references were stored by someone else in the "
                "meantime: %(references)s. Upload the file again to see the rows concerned."
            )
            % {"references": ", ".join(sorted(references)[:20])},
        )
    return ServiceError(
        CODE_TAKEN,
        _(
            "Nothing was imported: some references or Swedish identity numbers were stored by "
            "someone else in the meantime. Upload the file again to see the rows concerned."
        ),
    )


def _store(batch: ImportBatch, preview: ImportPreview) -> None:
    parsed = preview.households
    households = insert_many(
        Household,
        [
            Household(
                reference=h.reference,
                needs_accessible=h.needs_accessible,
                has_pets=h.has_pets,
                medical_priority=h.medical_priority,
            )
            for h in parsed
        ],
    )
    insert_many(
        Allocation,
        [
            Allocation(
                household=household,
                reference=h.allocation_reference,
                allocated_on=h.allocated_on,
                expected_arrival=h.expected_arrival,
                status=AllocationStatus.PENDING,
                batch=batch,
            )
            for household, h in zip(households, parsed, strict=True)
        ],
    )
    persons = [
        prepare_person(
            Person(
                household=household,
                first_name=p.first_name,
                last_name=p.last_name,
                first_name_latin=p.first_name_latin,
                last_name_latin=p.last_name_latin,
                birth_date=p.birth_date,
                sex=p.sex,
                languages=p.languages,
                migration_case_number=p.migration_case_number,
                permit_card_number=p.permit_card_number,
                permit_valid_from=p.permit_valid_from,
                permit_valid_until=p.permit_valid_until,
                swedish_id_number=p.swedish_id_number,
            )
        )
        for household, h in zip(households, parsed, strict=True)
        for p in h.persons
    ]
    # Family names repeat within a household and first names across a list, so each
    # distinct name is folded once; a person's keys are the union of its names' keys.
    keys_of_name: dict[str, set[str]] = {}

    def keys_of(person: Person) -> set[str]:
        keys: set[str] = set()
        for name in person_names(person):
            if name not in keys_of_name:
                keys_of_name[name] = name_keys([name])
            keys |= keys_of_name[name]
        return keys

    for start in range(0, len(persons), CHUNK):
        chunk = insert_many(Person, persons[start : start + CHUNK])
        _insert_name_keys((person.pk, key) for person in chunk for key in keys_of(person))


def _insert_name_keys(rows: Iterable[tuple[int, str]]) -> None:
    """Insert search keys with a few large statements.

    A person has about 17 keys, so keys outnumber the rows of the file many times over:
    building a model instance for each made the ORM's bulk_create most of an import's time,
    and one statement per key (executemany) is slower still. PostgreSQL gets them through
    COPY.
    """
    meta = PersonNameKey._meta
    quote = connection.ops.quote_name
    # Table and column names come from the model, values are bound parameters.
    head = "INSERT INTO {} ({}, {}) ".format(
        quote(meta.db_table),
        quote(str(meta.get_field("person").column)),
        quote(str(meta.get_field("key").column)),
    )
    pending = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows without a statement to parse: the fastest way in.
            copy_sql = "COPY {} ({}, {}) FROM STDIN".format(
                quote(meta.db_table),
                quote(str(meta.get_field("person").column)),
                quote(str(meta.get_field("key").column)),
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in pending:
                    copy.write_row(row)
            return
        limit = (connection.features.max_query_params or 2 * KEYS_PER_STATEMENT) // 2
        per_statement = min(KEYS_PER_STATEMENT, limit)
        for start in range(0, len(pending), per_statement):
            chunk = pending[start : start + per_statement]
            cursor.execute(
                head + "VALUES " + ", ".join(["(%s, %s)"] * len(chunk)),
                [value for row in chunk for value in row],
            )


def pending_import_create(*, actor: Any, file_name: str, data: bytes) -> PendingImport:
    """Keep a checked upload (encrypted) until its uploader commits it or it expires."""
    _require_coordinator(actor)
    now = timezone.now()
    with transaction.atomic():
        # Uploads hold personal data: drop the expired ones whenever a new one arrives.
        PendingImport.objects.filter(expires_at__lt=now).delete()
        pending = PendingImport.objects.create(
            uploaded_by=actor,
            file_name=file_name[:255],
            data=fernet().encrypt(data),
            expires_at=now + PENDING_IMPORT_LIFETIME,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=pending,
            summary=gettext_noop("allocation list uploaded for preview"),
        )
    return pending


def pending_import_check(
    *,
    actor: Any,
    pending: PendingImport,
    shown: int,
    progress: Callable[[int, int, str], None] | None = None,
    then: Callable[[PendingImport], None] | None = None,
) -> PendingImport:
    """Check a kept upload (a long file, in the worker) and keep what its preview shows;
    a file with errors raises ``ImportRejected``. ``then`` runs in the transaction that
    keeps the preview."""
    _require_coordinator(actor)
    if pending.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    if progress is not None:
        progress(0, 2, _("Checking the file"))
    preview = parse_allocation_file(pending.file_name, fernet().decrypt(bytes(pending.data)))
    if not preview.ok:
        raise ImportRejected(preview)
    if progress is not None:
        progress(1, 2, _("Keeping the preview"))
    with transaction.atomic():
        locked = PendingImport.objects.select_for_update().get(pk=pending.pk)
        locked.summary = fernet().encrypt(PreviewSummary.of(preview, shown).to_json())
        locked.save(update_fields=["summary", "updated_at"])
        if then is not None:
            then(locked)
    return locked


def pending_summary(pending: PendingImport) -> PreviewSummary | None:
    """What the worker's check of a kept upload found, or None before it is checked."""
    data = bytes(pending.summary)
    return PreviewSummary.from_json(fernet().decrypt(data)) if data else None


def pending_rows_about(pending: PendingImport) -> int:
    """About how many rows the kept upload has (0 once it is imported)."""
    data = bytes(pending.data)
    return rows_about(fernet().decrypt(data)) if data else 0


def pending_import_commit(
    *,
    actor: Any,
    pending: PendingImport,
    progress: Callable[[int, int, str], None] | None = None,
    then: Callable[[ImportBatch], None] | None = None,
) -> ImportBatch:
    """Parse a kept upload again and import it; a second commit of it raises CODE_DONE.
    ``then`` runs in the transaction that stores it (a background job marks itself done)."""
    _require_coordinator(actor)
    if pending.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    if progress is not None:
        progress(0, 2, _("Checking the file again"))
    with transaction.atomic():
        # The row lock makes a double click wait for the first commit, then see its batch.
        locked = PendingImport.objects.select_for_update().get(pk=pending.pk)
        if locked.batch_id is not None:
            raise ServiceError(CODE_DONE, _("This file has already been imported."))
        if locked.expires_at < timezone.now():
            raise ServiceError(
                CODE_EXPIRED, _("The upload is too old to import. Upload the file again.")
            )
        data = fernet().decrypt(bytes(locked.data))
        preview = parse_allocation_file(locked.file_name, data)
        batch = allocations_import(actor=actor, preview=preview, file_name=locked.file_name)
        # The bytes are not needed any more; the row stays until expiry to answer a repeat.
        locked.batch = batch
        locked.data = b""
        locked.save(update_fields=["batch", "data", "updated_at"])
        if then is not None:
            then(batch)
    return batch
