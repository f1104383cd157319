# The old per-entry chain is replaced by sealed blocks: start the chains again, empty, and let the first
# seal after the upgrade (`chuangyou seal-audit`, or the next audited write) seal every existing entry.

from django.db import migrations

GENESIS_HASH = "0" * 64


def restart_chains(apps, schema_editor):
    apps.get_model("audit", "AuditHead").objects.update(blocks=0, last_hash=GENESIS_HASH)
    apps.get_model("audit", "AuditEntry").objects.update(entry_hash="")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_sealed_blocks'),
    ]

    operations = [
        migrations.RunPython(restart_chains, migrations.RunPython.noop),
    ]
