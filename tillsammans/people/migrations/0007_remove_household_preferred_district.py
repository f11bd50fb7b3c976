from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0006_preferred_district_as_anchor'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='household',
            name='preferred_district',
        ),
    ]
