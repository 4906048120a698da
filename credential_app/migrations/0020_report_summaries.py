"""Report summaries and the assessor queue's counts (decision 0016): tables kept in step
with the records, filled here from the records already there."""

from django.db import migrations, models

from credential_app.core import queue_tally
from credential_app.reports import summaries


class Migration(migrations.Migration):

    dependencies = [
        ('credential_app', '0019_workplace_outcomes'),
    ]

    operations = [
        migrations.CreateModel(
            name='AssessmentSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cohort_id', models.PositiveIntegerField()),
                ('definition_id', models.PositiveIntegerField()),
                ('course_key', models.CharField(max_length=255)),
                ('day', models.DateField()),
                ('assessor_id', models.PositiveIntegerField()),
                ('band', models.PositiveSmallIntegerField()),
                ('assessments', models.BigIntegerField(default=0)),
                ('timed', models.BigIntegerField(default=0)),
                ('waited_total', models.BigIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['cohort_id', 'definition_id', 'day', 'assessor_id', 'course_key', 'band', 'assessments', 'timed', 'waited_total'], name='credential_sum_assessment_def'), models.Index(fields=['cohort_id', 'course_key', 'day', 'assessor_id', 'definition_id', 'band', 'assessments', 'timed', 'waited_total'], name='credential_sum_assessment_crs')],
                'constraints': [models.UniqueConstraint(fields=('cohort_id', 'day', 'assessor_id', 'definition_id', 'course_key', 'band'), name='credential_sum_assessment_key')],
            },
        ),
        migrations.CreateModel(
            name='AttemptSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cohort_id', models.PositiveIntegerField()),
                ('definition_id', models.PositiveIntegerField()),
                ('course_key', models.CharField(max_length=255)),
                ('number', models.PositiveIntegerField()),
                ('status', models.CharField(max_length=20)),
                ('day', models.DateField()),
                ('attempts', models.BigIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['cohort_id', 'definition_id', 'number', 'status', 'course_key', 'day', 'attempts'], name='credential_sum_attempt_def'), models.Index(fields=['cohort_id', 'course_key', 'number', 'status', 'definition_id', 'day', 'attempts'], name='credential_sum_attempt_crs')],
                'constraints': [models.UniqueConstraint(fields=('cohort_id', 'definition_id', 'number', 'status', 'course_key', 'day'), name='credential_sum_attempt_key')],
            },
        ),
        migrations.CreateModel(
            name='CredentialSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cohort_id', models.PositiveIntegerField()),
                ('definition_id', models.PositiveIntegerField()),
                ('course_key', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=10)),
                ('day', models.DateField()),
                ('band', models.PositiveSmallIntegerField()),
                ('credentials', models.BigIntegerField(default=0)),
                ('took_total', models.BigIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['cohort_id', 'kind', 'definition_id', 'day', 'course_key', 'band', 'credentials', 'took_total'], name='credential_sum_credential_all')],
                'constraints': [models.UniqueConstraint(fields=('cohort_id', 'kind', 'definition_id', 'day', 'course_key', 'band'), name='credential_sum_credential_key')],
            },
        ),
        migrations.CreateModel(
            name='QueueTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_key', models.CharField(max_length=255)),
                ('assessor_id', models.PositiveIntegerField()),
                ('slot', models.PositiveSmallIntegerField()),
                ('waiting', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('usage_key', 'assessor_id', 'slot'), name='credential_queue_tally_key')],
            },
        ),
        migrations.CreateModel(
            name='ScorePair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempt_id', models.PositiveBigIntegerField()),
                ('definition_id', models.PositiveIntegerField()),
                ('course_key', models.CharField(max_length=255)),
                ('day', models.DateField()),
                ('user_id', models.PositiveIntegerField()),
                ('criterion', models.CharField(max_length=100)),
                ('assessor_id', models.PositiveIntegerField()),
                ('other_id', models.PositiveIntegerField()),
                ('points', models.PositiveIntegerField()),
                ('other_points', models.PositiveIntegerField()),
                ('assessments', models.PositiveIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['definition_id', 'criterion', 'assessor_id', 'other_id', 'points', 'other_points', 'assessments', 'day', 'course_key', 'user_id'], name='credential_sum_pair_def')],
                'constraints': [models.UniqueConstraint(fields=('attempt_id', 'criterion', 'assessor_id', 'other_id'), name='credential_sum_pair_key')],
            },
        ),
        migrations.CreateModel(
            name='ScoreSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cohort_id', models.PositiveIntegerField()),
                ('definition_id', models.PositiveIntegerField()),
                ('course_key', models.CharField(max_length=255)),
                ('day', models.DateField()),
                ('criterion', models.CharField(max_length=100)),
                ('level', models.CharField(max_length=100)),
                ('points', models.PositiveIntegerField()),
                ('scores', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('cohort_id', 'definition_id', 'day', 'course_key', 'criterion', 'level', 'points'), name='credential_sum_score_key')],
            },
        ),
        migrations.CreateModel(
            name='SharedAttemptNumber',
            fields=[
                ('attempt_id', models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ('user_id', models.PositiveIntegerField()),
                ('definition_id', models.PositiveIntegerField()),
                ('course_key', models.CharField(max_length=255)),
                ('number', models.PositiveIntegerField()),
                ('day', models.DateField()),
            ],
            options={
                'indexes': [models.Index(fields=['user_id'], name='credential_sum_shared_user')],
            },
        ),
    ]


def fill(apps, schema_editor):
    """Count the records already there (the app keeps the tables in step from now on)."""
    summaries.rebuild(registry=apps)
    queue_tally.rebuild(registry=apps)


Migration.operations.append(migrations.RunPython(fill, migrations.RunPython.noop))
