"""JupyterHub configuration for a framelab classroom; setup.sh copies it into the hub
folder next to classroom.json, which holds the settings it reads."""

import json
import os
import secrets
from pathlib import Path

c = get_config()  # noqa: F821

here = Path(__file__).resolve().parent
settings = json.loads((here / "classroom.json").read_text())
prefix = Path(settings["prefix"])

c.JupyterHub.ip = settings["ip"]  # 127.0.0.1 unless the teacher chose otherwise
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{here / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(here / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(here / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(here / "proxy.pid")
c.ConfigurableHTTPProxy.command = [
    str(prefix / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")
]
c.ConfigurableHTTPProxy.auth_token = os.environ.get("CONFIGPROXY_AUTH_TOKEN") or secrets.token_hex(
    32
)

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(settings["users"])
c.Authenticator.admin_users = {settings["instructor"]}

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(prefix / "venv" / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"


def _datasets(spawner):
    """The instructor grades from their course's full datasets; students see the copy
    without the keys of graded texts."""
    if spawner.user.name == settings["instructor"]:
        return str(Path(settings["course"]) / "datasets")
    return str(prefix / "datasets")


c.Spawner.environment = {
    "PATH": f"{prefix / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "FRAMELAB_DATASETS": _datasets,
}

# A service for automation (the CI test uses it to start servers and mint tokens);
# only when its token is given in the environment.
token = os.environ.get("CLASSROOM_SERVICE_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "classroom-admin", "api_token": token}]
    c.JupyterHub.load_roles = [
        {
            "name": "classroom-admin",
            "scopes": [
                "admin:users",
                "admin:servers",
                "tokens",
                "list:users",
                "read:users",
                "access:servers",
            ],
            "services": ["classroom-admin"],
        }
    ]
