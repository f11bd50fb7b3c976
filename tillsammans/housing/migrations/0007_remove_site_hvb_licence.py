from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("housing", "0006_hvb_licence_numbers_as_licences")]

    operations = [migrations.RemoveField(model_name="site", name="hvb_licence")]
