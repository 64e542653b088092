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
# random one written to <hub-dir>/passwords.txt (0600).
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
    jupyterhub==6.1.1 "$repo"
npm install --silent --prefix "$prefix/proxy" configurable-http-proxy@5.3.0 >/dev/null

step "datasets for students: texts, and only the keys of texts that are never graded"
rm -rf "$prefix/datasets"
cp -r "$repo/datasets" "$prefix/datasets"
"$prefix/venv/bin/python" - "$prefix/datasets" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
for meta in root.glob("articles/*/meta.json"):
    if json.loads(meta.read_text()).get("graded"):
        (root / "keys" / f"{meta.parent.name}.json").unlink(missing_ok=True)
        print(f"  removed the key of graded text {meta.parent.name}")
PY
chmod -R a+rX "$prefix"

step "nbgrader for everyone: course $course_id, exchange $exchange; instructor tools off for students"
mkdir -p "$prefix/venv/etc/jupyter"
cat > "$prefix/venv/etc/jupyter/nbgrader_config.py" <<PY
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "$course_id"
c.Exchange.root = "$exchange"
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
while read -r name role password; do
    [ -n "${name:-}" ] && [ "${name:0:1}" != "#" ] || continue
    users+=("$name")
    if ! id "$name" >/dev/null 2>&1; then
        useradd -m -K HOME_MODE=0700 -s /bin/bash "$name"
    fi
    if [ -z "${password:-}" ]; then
        password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
        echo "$name $password" >> "$hub_dir/passwords.txt"
    fi
    echo "$name:$password" | chpasswd
    home=$(getent passwd "$name" | cut -d: -f6)
    if [ "$hardened" = 1 ]; then chmod 700 "$home"; else chmod 755 "$home"; fi
    echo "  $name ($role), home $home"
done < "$class_list"

step "the instructor's course folder"
course="$(getent passwd "$instructor" | cut -d: -f6)/course"
mkdir -p "$course"
cp "$repo/nbgrader_config.py" "$course/"
rm -rf "$course/solutions" "$course/exercises" "$course/datasets"
cp -r "$repo/solutions" "$repo/exercises" "$repo/datasets" "$course/"
chmod -R u+rwX,go+rX,go-w "$course"   # ordinary modes: the home's 0700 is what protects it
chown -R "$instructor:" "$course"
echo "  $course"

step "the exchange"
if [ "$hardened" = 1 ]; then
    # the root sticky, so no one can rename another's folder; the course's folder is
    # the instructor's before any student can create it
    mkdir -p "$exchange/$course_id"
    chmod 1777 "$exchange"
    chown "$instructor:" "$exchange/$course_id"
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
