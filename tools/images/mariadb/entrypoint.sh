#!/bin/bash
# `mariadbd|mysqld [options]`: on an empty datadir, creates the system tables, sets the root password
# (root@localhost and root@%), creates MYSQL_DATABASE and MYSQL_USER with all rights on it, then starts
# the server as the mysql user. Any other command runs as given.
set -euo pipefail
if [ "${1#-}" != "$1" ]; then set -- mariadbd "$@"; fi
case "$1" in mysqld | mariadbd) shift ;; *) exec "$@" ;; esac

root_password=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
database=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
user=${MARIADB_USER:-${MYSQL_USER:-}}
password=${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}
allow_empty=${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}
datadir=/var/lib/mysql
note() { echo "$(date -u '+%F %T') [entrypoint] $*"; }
sql_escape() { printf '%s' "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/\\\\'/g"; }
ident_escape() { printf '%s' "$1" | sed -e 's/`/``/g'; }

mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
chown mysql:mysql "$datadir"

if [ ! -d "$datadir/mysql" ]; then
  if [ -z "$root_password" ] && [ -z "$allow_empty" ]; then
    echo "[entrypoint] the database is uninitialized: set MYSQL_ROOT_PASSWORD (or MYSQL_ALLOW_EMPTY_PASSWORD=yes)" >&2
    exit 1
  fi
  note "initializing $datadir"
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve >/dev/null
  socket=/run/mysqld/init.sock
  mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" "$@" &
  pid=$!
  for _ in $(seq 1 60); do
    mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "[entrypoint] the server stopped during initialization" >&2; exit 1; }
    sleep 1
  done
  rp=$(sql_escape "$root_password")
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.user WHERE user='' OR (user='root' AND host NOT IN ('localhost'));"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$rp';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$rp';"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "$database" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$(ident_escape "$database")\`;"; fi
    if [ -n "$user" ] && [ -n "$password" ]; then
      echo "CREATE USER '$(sql_escape "$user")'@'%' IDENTIFIED BY '$(sql_escape "$password")';"
      if [ -n "$database" ]; then echo "GRANT ALL ON \`$(ident_escape "$database")\`.* TO '$(sql_escape "$user")'@'%';"; fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket="$socket" -uroot --protocol=socket
  mariadb-admin --socket="$socket" -uroot --password="$root_password" shutdown
  wait "$pid" || true
  note "initialization done"
fi
exec mariadbd --user=mysql --datadir="$datadir" "$@"
