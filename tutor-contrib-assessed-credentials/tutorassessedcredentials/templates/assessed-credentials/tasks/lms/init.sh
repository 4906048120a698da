# Assessed micro-credentials: the app's tables (Tutor's own LMS init has migrated the rest),
# then whether the audit trail's triggers are in place: if not, it says which grant is
# missing, and the trail is guarded by the application only.
echo "Assessed credentials: migrating credential_app"
./manage.py lms migrate credential_app
./manage.py lms check_audit_triggers --install || echo "WARNING: the audit trail is not guarded by the database (see above)." >&2
