#!/usr/bin/env bash
# Set up one shared classroom server for framelab: JupyterHub (PAM login, local
# process spawner, proxy from npm), the kit installed for every user, nbgrader's
# exchange, the instructor's course folder, and the hardening described in
# classroom/README.md. Run as root from the framelab checkout:
#
#   sudo classroom/setup.sh --class-list class.txt
#
# class.txt: one user a line, "name role [password]", role instructor or student;
# users who do not exist are created (0700 homes), and given the password, or a
# random one written to <hub-dir>/passwords.txt (0600). An existing user's password
# is changed only when the list gives one.
#
# The checkout holds every answer key: keep it where only root can read it (setup.sh
# refuses one that other users can read). Root never acts on a path that a user
# controls: the instructor's course is written by the instructor's own account.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
prefix=/opt/framelab-classroom
hub_dir=/srv/jupyterhub
exchange=/srv/nbgrader/exchange
course_id=framelab
bind=127.0.0.1
port=8000
class_list=""
hardened=1

while [ $# -gt 0 ]; do
    case "$1" in
        --class-list) class_list=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --hub-dir) hub_dir=$2; shift 2 ;;
        --exchange) exchange=$2; shift 2 ;;
        --course-id) course_id=$2; shift 2 ;;
        --ip) bind=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --unhardened) hardened=0; shift ;;   # only to show what the hardening closes
        *) echo "setup.sh: unknown option $1 (see the top of this file)" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "setup.sh: run as root (it creates users and system folders)" >&2; exit 2; }
[ -f "$class_list" ] || { echo "setup.sh: give --class-list FILE (one 'name role [password]' a line)" >&2; exit 2; }
instructor=$(awk '$2 == "instructor" {print $1; exit}' "$class_list")
[ -n "$instructor" ] || { echo "setup.sh: the class list names no instructor" >&2; exit 2; }

step() { printf '\n== %s\n' "$*"; }
fail() { echo "setup.sh: $*" >&2; exit 2; }
if home=$(getent passwd "$instructor" | cut -d: -f6) && [ -n "$home" ]; then
    course="$home/course"
    [ ! -L "$course" ] || fail "$course is a link; a course folder is a plain folder (remove
  the link, as $instructor, and run setup.sh again)"
fi

step "the checkout ($repo): only root may read its keys and solutions"
if id nobody >/dev/null 2>&1; then
    readable=$(runuser -u nobody -- find "$repo/datasets/keys" "$repo/solutions" "$repo/.git" \
        -type f -readable -print -quit 2>/dev/null || true)
    [ -z "$readable" ] || fail "other users can read $readable (and every key and solution in
  this checkout). Make it root's alone (chmod -R go-rwx $repo) or clone it into /root,
  then run setup.sh again."
fi
# Work from a root-only copy: pip builds in it, and nothing of it is left behind.
stage=$(mktemp -d /tmp/framelab-setup.XXXXXX)
trap 'rm -rf "$stage"' EXIT
tar -C "$repo" --exclude=./.venv --exclude=./.git --exclude=./build --exclude='*.egg-info' \
    --exclude=./submitted --exclude=./autograded --exclude=./feedback --exclude=./gradebook.db \
    --exclude=./test-artifacts --exclude='__pycache__' -cf - . | tar -C "$stage" -xf -
links=$(find "$stage" -type l -print -quit)
[ -z "$links" ] || fail "the checkout holds a link (${links#"$stage"/}); a course is plain files"

step "system packages"
need=()
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3 python3-venv)
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

step "the kit and JupyterHub, for every user ($prefix, readable by all)"
umask 022
mkdir -p "$prefix"
# The system Python: a Python under root's 0700 home could not be run by students.
[ -x "$prefix/venv/bin/python" ] || /usr/bin/python3 -m venv "$prefix/venv"
"$prefix/venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$prefix/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    jupyterhub==6.1.1 "$stage"
npm install --silent --prefix "$prefix/proxy" configurable-http-proxy@5.3.0 >/dev/null

step "datasets for students: texts, and only the keys of texts that are never graded"
"$prefix/venv/bin/python" - "$stage/datasets" "$prefix/datasets" <<'PY'
import sys
from framelab.instructor.students_copy import student_datasets
for graded in student_datasets(sys.argv[1], sys.argv[2]):
    print(f"  left out the key of graded text {graded}")
PY
chmod -R a+rX "$prefix"

step "nbgrader for everyone: course $course_id, exchange $exchange; instructor tools off for students"
mkdir -p "$prefix/venv/etc/jupyter"
cat > "$prefix/venv/etc/jupyter/nbgrader_config.py" <<PY
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "$course_id"
c.Exchange.root = "$exchange"
# nbgrader submit leaves out a file past this size (KB); framelab's collect refuses one
c.CourseDirectory.max_file_size = 10000
PY
jl="$prefix/venv/bin/jupyter"
"$jl" labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment >/dev/null
"$jl" labextension lock --level=sys_prefix @jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment >/dev/null
"$jl" server extension disable --sys-prefix nbgrader.server_extensions.formgrader >/dev/null

step "users"
mkdir -p "$hub_dir"
chmod 700 "$hub_dir"
: > "$hub_dir/passwords.txt"
chmod 600 "$hub_dir/passwords.txt"
users=()
students=()
while read -r name role password; do
    [ -n "${name:-}" ] && [ "${name:0:1}" != "#" ] || continue
    users+=("$name")
    [ "$role" = student ] && students+=("$name")
    new=0
    if ! id "$name" >/dev/null 2>&1; then
        useradd -m -K HOME_MODE=0700 -s /bin/bash "$name"
        new=1
    fi
    if [ -z "${password:-}" ] && [ "$new" = 1 ]; then
        password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
        echo "$name $password" >> "$hub_dir/passwords.txt"
    fi
    # an existing user keeps their password unless the list gives one
    [ -z "${password:-}" ] || echo "$name:$password" | chpasswd
    home=$(getent passwd "$name" | cut -d: -f6)
    if [ "$hardened" = 1 ]; then chmod 700 "$home"; else chmod 755 "$home"; fi
    echo "  $name ($role), home $home"
done < "$class_list"

step "the instructor's course folder, written by the instructor's own account"
course="$(getent passwd "$instructor" | cut -d: -f6)/course"
[ ! -L "$course" ] || fail "$course is a link; a course folder is a plain folder"
as_instructor() { runuser -u "$instructor" -- env -i HOME="$(dirname "$course")" \
    PATH="$prefix/venv/bin:/usr/bin:/bin" LANG=C.UTF-8 "$@"; }
# root only reads its own copy and pipes it; the instructor's tar writes it
tar -C "$stage" -cf - nbgrader_config.py solutions exercises datasets | as_instructor sh -c '
    set -e; mkdir -p "$1"; cd "$1"
    rm -rf solutions exercises datasets
    tar -xf - --no-same-owner --no-same-permissions' sh "$course"
{ echo id; printf '%s\n' "${students[@]}"; } | as_instructor sh -c \
    'cd "$1" && cat > .class-list.csv && nbgrader db student import .class-list.csv --log-level=WARN; rm -f .class-list.csv' \
    sh "$course" >/dev/null
echo "  $course (${#students[@]} students in its gradebook)"

step "the exchange"
if [ "$hardened" = 1 ]; then
    # the root sticky, so no one can rename another's folder; the course's folder is
    # the instructor's before any student can create it (and never a student's link)
    mkdir -p "$exchange"
    chmod 1777 "$exchange"
    mkdir -p "$exchange/$course_id"
    owner=$(stat -c %U "$exchange/$course_id")
    if [ -L "$exchange/$course_id" ] || { [ "$owner" != root ] && [ "$owner" != "$instructor" ]; }; then
        fail "$exchange/$course_id was made by $owner, not by root or $instructor; remove it and run setup.sh again"
    fi
    chown --no-dereference "$instructor:" "$exchange/$course_id"
    chmod 755 "$exchange/$course_id"
else
    mkdir -p "$exchange"
    chmod 777 "$exchange"   # what nbgrader itself makes
fi

step "JupyterHub configuration ($hub_dir)"
"$prefix/venv/bin/python" - "$hub_dir/classroom.json" <<PY
import json, sys
json.dump({
    "prefix": "$prefix", "hub_dir": "$hub_dir", "ip": "$bind", "port": $port,
    "users": "${users[*]}".split(), "instructor": "$instructor", "course": "$course",
}, open(sys.argv[1], "w"), indent=1)
PY
cp "$here/jupyterhub_config.py" "$hub_dir/jupyterhub_config.py"
chmod 600 "$hub_dir"/*
printf '\nDone. Start the hub with: classroom/start-hub.sh %s\n' "$hub_dir"
[ -s "$hub_dir/passwords.txt" ] && echo "New passwords are in $hub_dir/passwords.txt (readable by root only)."
exit 0
