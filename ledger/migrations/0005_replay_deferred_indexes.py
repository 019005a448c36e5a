from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_append_function")]

    operations = [
        migrations.AddField(
            model_name="replaycheckpoint",
            name="deferred_indexes",
            field=models.JSONField(
                default=list,
                help_text="CREATE INDEX statements of the secondary indexes dropped for the "
                "rebuild.",
            ),
        ),
    ]
