{% if ASSESSED_CREDENTIALS_GRANT_TRIGGERS -%}
# Assessed micro-credentials: the audit trail is kept append-only by database triggers,
# which the LMS database user creates when it migrates.
echo "Assessed credentials: letting '{{ OPENEDX_MYSQL_USERNAME }}' create triggers in '{{ OPENEDX_MYSQL_DATABASE }}'"
assessed_credentials_mysql() {
  mysql -u "{{ MYSQL_ROOT_USERNAME }}" --password="{{ MYSQL_ROOT_PASSWORD }}" --host "{{ MYSQL_HOST }}" --port {{ MYSQL_PORT }} "$@"
}
assessed_credentials_mysql -e "GRANT TRIGGER ON \`{{ OPENEDX_MYSQL_DATABASE }}\`.* TO '{{ OPENEDX_MYSQL_USERNAME }}'@'%';"
# With binary logging (on by default in MySQL 8), a user without SUPER may create a trigger
# only when log_bin_trust_function_creators is ON; SET PERSIST keeps it across restarts.
if [ "$(assessed_credentials_mysql --batch --skip-column-names -e 'SELECT @@log_bin')" = "1" ] &&
   [ "$(assessed_credentials_mysql --batch --skip-column-names -e 'SELECT @@log_bin_trust_function_creators')" != "1" ]; then
  echo "Binary logging is on: setting log_bin_trust_function_creators = ON"
  assessed_credentials_mysql -e "SET PERSIST log_bin_trust_function_creators = ON;" 2>/dev/null || {
    assessed_credentials_mysql -e "SET GLOBAL log_bin_trust_function_creators = ON;" &&
      echo "WARNING: set until the server restarts only (no SET PERSIST here, as on MariaDB): add log_bin_trust_function_creators = ON to the server's configuration file." >&2
  } || echo "WARNING: log_bin_trust_function_creators could not be set: set it to ON in the server's configuration, or the audit trail's triggers are not created (see ./manage.py lms check_audit_triggers)." >&2
fi
{%- else -%}
echo "Assessed credentials: ASSESSED_CREDENTIALS_GRANT_TRIGGERS is off; grant TRIGGER on '{{ OPENEDX_MYSQL_DATABASE }}' to '{{ OPENEDX_MYSQL_USERNAME }}' yourself (see ./manage.py lms check_audit_triggers)."
{%- endif %}
