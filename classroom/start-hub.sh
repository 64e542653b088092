#!/usr/bin/env bash
# Start the classroom's JupyterHub (as root: PAM login and spawning users' servers
# need it). Usage: classroom/start-hub.sh [HUB_DIR]   (default /srv/jupyterhub)
set -euo pipefail
hub_dir=${1:-/srv/jupyterhub}
prefix=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['prefix'])" "$hub_dir/classroom.json")
cd "$hub_dir"
export CONFIGPROXY_AUTH_TOKEN=${CONFIGPROXY_AUTH_TOKEN:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
exec "$prefix/venv/bin/jupyterhub" -f "$hub_dir/jupyterhub_config.py"
