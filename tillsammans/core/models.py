import json
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(pgettext_lazy("field", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """Anything that names a person is reached by an unguessable UUID, never by its row id."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractUser):
    """Staff log in with their work email; there is no username."""

    # Django's documented way to drop an inherited field; the stubs expect a CharField.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The partnership's data protection officer reviews who read what (privacy.review),
    # whatever their role in their organisation.
    is_data_protection_officer = models.BooleanField(_("data protection officer"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Creates users by email; AbstractUser's manager needs a username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", pgettext_lazy("audit action", "created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    LOGIN = "login", _("logged in")
    # A mistake taken back (a move-out recorded by mistake): a change of its own, so the log
    # shows the original write and its correction, never a deletion.
    CORRECT = "correct", _("corrected")


class AuditLogError(Exception):
    pass


# A summary's value that is words (a choice's label, field names) rather than data is stored
# as {WORDS: [English labels]} and read in the reader's language.
WORDS = "words"


# A household named in what an event says is kept as {MENTION: [model label, public id]}
# and read as what the household is called when the log is read: its reference, or, once
# retention has anonymised it, its anonymous one. The log itself never keeps the reference
# an anonymised household once had (issue 15, ADR 38). A model says so with
# ``audit_by_public_id = True``.
MENTION = "mention"
Names = dict[tuple[str, str], str]


def mentioned(value: Any) -> tuple[str, str] | None:
    if (
        isinstance(value, dict)
        and isinstance(value.get(MENTION), list)
        and len(value[MENTION]) == 2
    ):
        label, public_id = value[MENTION]
        return str(label), str(public_id)
    return None


def mention_fallback(public_id: str) -> str:
    """How a mention reads when its object is not there to name it: a short id."""
    return public_id.replace("-", "")[:8]


def mention_names(mentions: set[tuple[str, str]]) -> Names:
    """What each mentioned object is called now, a query per kind of object."""
    by_label: dict[str, set[str]] = {}
    for label, public_id in mentions:
        by_label.setdefault(label, set()).add(public_id)
    names: Names = {}
    for label, ids in by_label.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        valid = [public_id for public_id in ids if _is_uuid(public_id)]
        found = model._default_manager.filter(public_id__in=valid)
        if related := getattr(model, "audit_name_related", ()):
            found = found.select_related(*related)
        for obj in found:
            namer = getattr(obj, "audit_name", None)
            names[(label, str(obj.public_id))] = namer() if callable(namer) else str(obj)
    return names


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# Between a word's context and the word, as gettext keeps them ("reason for leaving\x04Other").
CONTEXT = "\x04"


def _word(text: str, translate: Callable[[str], str]) -> str:
    if CONTEXT in text:
        context, word = text.split(CONTEXT, 1)
        return word if translate is str else pgettext(context, word)
    return translate(text)


def read_param(
    value: Any, translate: Callable[[str], str] = gettext, names: Names | None = None
) -> Any:
    mention = mentioned(value)
    if mention is not None:
        return (names or {}).get(mention) or mention_fallback(mention[1])
    if isinstance(value, dict) and isinstance(value.get(WORDS), list):
        labels = [_word(str(text), translate) for text in value[WORDS]]
        # A label with a comma of its own (a consent's scope) is set apart with " · ".
        return (" · " if any("," in label for label in labels) else ", ").join(labels)
    return value


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk changes would bypass the instance checks, so they are refused here too."""

    def update(self, **kwargs: object) -> int:
        raise AuditLogError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogError("Audit events are append-only.")

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise AuditLogError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only: who did what to which object, and when.

    The log is evidence under the data-protection rules (kept at least five years), so rows
    are never updated or deleted through the ORM; ``save`` refuses updates and ``delete``
    refuses outright.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_email = models.CharField(_("who (email)"), max_length=254, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    # In English, as written; a reader sees it in their own language: ``summary_template``
    # is the English text with %(name)s places, ``summary_params`` their values.
    summary = models.CharField(_("what"), max_length=500, blank=True)
    summary_template = models.CharField(max_length=500, blank=True)
    summary_params = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()
    # What the households the events of a page mention are called (``name_mentions``).
    _names: Names | None = None

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AuditLogError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditLogError("Audit events are append-only.")

    def described(self) -> str:
        """What the event says, in the reader's language: the English text of a summary
        marked for translation is translated at reading, so the log reads in Swedish to a
        Swedish reader whatever the writer's language was."""
        if self.summary_template:
            names = self._names
            if names is None:
                names = mention_names(self.mentions())
            try:
                params = {
                    name: read_param(value, names=names)
                    for name, value in self.summary_params.items()
                }
                return gettext(self.summary_template) % params
            except (KeyError, TypeError, ValueError):
                return self.summary
        return gettext(self.summary) if self.summary else ""

    def mentions(self) -> set[tuple[str, str]]:
        values = self.summary_params.values() if isinstance(self.summary_params, dict) else []
        return {mention for value in values if (mention := mentioned(value)) is not None}

    @staticmethod
    def name_mentions(events: "list[AuditEvent]") -> "list[AuditEvent]":
        """Look up once what the households a page of events mentions are called now."""
        names = mention_names(set().union(*(event.mentions() for event in events)))
        for event in events:
            event._names = names
        return events

    def object_kind(self) -> str:
        """The kind of object in words ("hushåll"), or its label when the model is gone."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)


class StoredFile(PublicIdModel):
    """An uploaded file (a signed agreement, a logo, a photo), kept in the database so that it
    is backed up, restored and access-checked with the rows that use it (ADR 23). Served only
    by the view of what owns it, never from a public folder."""

    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.name


class BackgroundJobStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for a worker")
    RUNNING = "running", pgettext_lazy("background job", "running")
    DONE = "done", pgettext_lazy("background job", "done")
    FAILED = "failed", pgettext_lazy("background job", "failed")


class BackgroundJob(PublicIdModel):
    """A long piece of work a user started (a placement proposal, an annual report's PDF), run
    by the worker (``core.background``). Only the user who started it sees it; it keeps its
    progress, its result and, when it failed, the message to show in that user's language."""

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BackgroundJobStatus.choices,
        default=BackgroundJobStatus.WAITING,
    )
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=1)
    step = models.CharField(_("step"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    # The file a user gave the job (an import), and the file it made for them (an export, a
    # PDF), both Fernet-encrypted: they hold personal data. The input is emptied when the
    # job is done; both go with the job (``core.schedule.prune_finished_jobs``).
    input_name = models.CharField(_("file given"), max_length=200, blank=True)
    input_data = models.BinaryField(default=b"", editable=False)
    output_name = models.CharField(_("file made"), max_length=200, blank=True)
    output_type = models.CharField(_("content type"), max_length=100, blank=True)
    output_data = models.BinaryField(default=b"", editable=False)
    error = models.TextField(_("error"), blank=True)
    # The rows of a refused import as JSON ``[[line, message], …]``, encrypted too: a message
    # may quote the row's identity number.
    row_errors_data = models.BinaryField(default=b"", editable=False)
    encrypted_bytes: ClassVar[tuple[str, ...]] = ("input_data", "output_data", "row_errors_data")
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (BackgroundJobStatus.DONE, BackgroundJobStatus.FAILED)

    @property
    def row_errors(self) -> list[list[Any]]:
        """The rows of a refused import: ``[[line, message], …]``."""
        from .fields import fernet

        data = bytes(self.row_errors_data)
        return json.loads(fernet().decrypt(data)) if data else []

    @property
    def has_output(self) -> bool:
        return bool(self.output_name)

    @property
    def percent(self) -> int:
        if self.status == BackgroundJobStatus.DONE:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class WorkerHeartbeat(models.Model):
    """Each worker process says every few seconds that it is alive; readiness asks whether
    any worker did so lately (``core.background.worker_alive``)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class ScheduledRun(models.Model):
    """When a periodic job (``core.schedule``) was last put in the queue and last finished,
    one row per job, so that two schedulers never both start it."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name


class KeyRotation(models.Model):
    """One run of re-encrypting every encrypted value under the first key of
    ``FIELD_ENCRYPTION_KEYS`` (``core.keys``): where it got to, so that a run cut short goes on
    from there, and what it did."""

    key_fingerprint = models.CharField(_("key fingerprint"), max_length=16)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    position = models.JSONField(_("position"), default=dict)
    rotated = models.PositiveBigIntegerField(_("values re-encrypted"), default=0)
    current = models.PositiveBigIntegerField(_("values already under the key"), default=0)
    unreadable = models.PositiveBigIntegerField(_("values no key opens"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("key rotation")
        verbose_name_plural = _("key rotations")

    def __str__(self) -> str:
        return f"{self.key_fingerprint} {self.started_at:%Y-%m-%d %H:%M}"


class DisclosureBasis(models.TextChoices):
    CONSENT = "consent", _("the person's consent")
    SUBJECT_ACCESS = "access", _("the person's right of access (GDPR art. 15)")
    AGREEMENT = "agreement", _("the partnership agreement (IOP) and the person's service")
    LEGAL_OBLIGATION = "legal", _("a legal obligation")


class Disclosure(models.Model):
    """The disclosure journal (issue 15): each time personal data leaves an organisation (a
    referral, a list of persons exported, a register extract), what left, to whom and on
    what basis. Persons are kept by their public ids, so the journal survives their
    anonymisation and names no one by itself."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("who"),
    )  # fmt: skip
    actor_email = models.CharField(_("who (email)"), max_length=254, blank=True)
    organisation_name = models.CharField(_("from organisation"), max_length=200, blank=True)
    recipient = models.CharField(_("to whom"), max_length=200)
    what = models.CharField(_("what"), max_length=300)
    what_params = models.JSONField(default=dict, blank=True)
    basis = models.CharField(_("basis"), max_length=10, choices=DisclosureBasis.choices)
    persons = models.JSONField(_("persons"), default=list)
    person_count = models.PositiveIntegerField(_("number of persons"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.recipient}"

    @property
    def described(self) -> str:
        """What left and to whom, in the reader's language (both are kept as msgids, or as
        names, which translate to themselves)."""
        what = gettext(self.what)
        if self.what_params:
            what = what % {key: read_param(value) for key, value in self.what_params.items()}
        return what

    @property
    def recipient_shown(self) -> str:
        return gettext(self.recipient)
