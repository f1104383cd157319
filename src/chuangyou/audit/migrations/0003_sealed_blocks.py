# Writers append without a chain lock; entries are sealed into keyed, hash-chained blocks after commit.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_one_chain_per_school'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='auditentry', name='audit_seq_unique_in_chain'),
        migrations.RemoveIndex(model_name='auditentry', name='audit_school_seq'),
        migrations.RemoveField(model_name='auditentry', name='seq'),
        migrations.RemoveField(model_name='auditentry', name='prev_hash'),
        migrations.RenameField(model_name='auditentry', old_name='id', new_name='seq'),
        migrations.AlterField(
            model_name='auditentry',
            name='seq',
            field=models.BigAutoField(primary_key=True, serialize=False, verbose_name='序号'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='entry_hash',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.RenameField(model_name='audithead', old_name='last_seq', new_name='blocks'),
        migrations.CreateModel(
            name='AuditBlock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.PositiveBigIntegerField(default=0)),
                ('number', models.PositiveBigIntegerField()),
                ('sealed_at', models.DateTimeField()),
                ('first_seq', models.PositiveBigIntegerField()),
                ('last_seq', models.PositiveBigIntegerField()),
                ('seqs', models.JSONField()),
                ('root', models.CharField(max_length=64)),
                ('prev_hash', models.CharField(max_length=64)),
                ('block_hash', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': '审计封存块',
                'constraints': [models.UniqueConstraint(fields=('chain', 'number'), name='audit_block_unique_in_chain')],
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='block',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='audit.auditblock'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['school', '-seq'], name='audit_school_seq'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(condition=models.Q(('block', None)), fields=['chain', 'seq'], name='audit_unsealed'),
        ),
    ]
