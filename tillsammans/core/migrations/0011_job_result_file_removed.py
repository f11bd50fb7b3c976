from django.db import migrations

# The stored files whose content 0010 moved into their jobs, between the two steps below.
MOVED: list[int] = []


def remember_moved_files(apps, schema_editor):
    BackgroundJob = apps.get_model("core", "BackgroundJob")
    MOVED[:] = BackgroundJob.objects.exclude(result_file=None).values_list("result_file", flat=True)


def delete_moved_files(apps, schema_editor):
    """Deleted only once the column pointing at them is gone: on PostgreSQL, rows deleted
    before it would leave deferred checks pending on the table that the removal alters."""
    StoredFile = apps.get_model("core", "StoredFile")
    StoredFile.objects.filter(pk__in=MOVED).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0010_job_files_kept_encrypted")]

    operations = [
        migrations.RunPython(remember_moved_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="backgroundjob", name="result_file"),
        migrations.RunPython(delete_moved_files, migrations.RunPython.noop),
    ]
