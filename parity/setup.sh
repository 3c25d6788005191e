#!/usr/bin/env bash
# Creates (idempotently) the virtualenv of the Django side of the parity check.
#   PARITY_VENV   where to put it (default: parity/.venv next to this script)
#   PARITY_PYTHON interpreter to use (default: the newest ~/.pyenv/versions/3.x >= 3.12, else python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${PARITY_VENV:-$here/.venv}"

# Exact reference versions (spec: "Reference versions").
# cryptography: PyJWT's RSA/EC/EdDSA algorithms (simplejwt's asymmetric keys); psycopg: Django on
# PostgreSQL (the simplejwt blacklist suite's PostgreSQL pass); dj-rest-auth: its JWT cookie mode;
# djangorestframework-csv: the CSV renderer of the renderer-negotiation group; django-guardian:
# the object permission backend of the interop suite's guardian pass; mysqlclient: Django
# on MariaDB (tests/tests/mysql.rs). mysqlclient rather than the pure-Python PyMySQL: it is the
# driver Django documents and tests (6.1 refuses any `MySQLdb` older than 2.2.1, so PyMySQL would
# need `install_as_MySQLdb()` and a forged `version_info`, and Django would then run on a driver
# it does not support); it compiles against libmariadb (Debian: libmariadb-dev, pkg-config, a C
# compiler), which `.ci/run` installs. Without those headers it is left out with a warning, so the
# other suites keep their environment; the MariaDB suite then reports its Django tests as ignored
# (failed under AUTH_REQUIRE_EXTERNAL_SUITES=1). django-oauth-toolkit (with its oauthlib and
# jwcrypto): the reference of DOT's resource-server scheme (DRF's OAuth2Authentication, the Bearer
# challenge, the RFC 8707 audience check) and its scope permissions (TokenHasScope & co.), and the
# `/o/token/` endpoint that issues the tokens of the parity group `oauth2` (issue 21). djoser
# (which pins social-auth-app-django and social-auth-core): the account views of the parity group
# `djoser` (issue 22); aiosmtpd: the SMTP server of tests/tests/smtp.rs; django-allauth:
# dj-rest-auth's allauth mode, installed in the reference
# project only by the parity run `--allauth` (PARITY_ALLAUTH).
requirements=(Django==6.1.3 djangorestframework==3.18.3 django-rest-knox==5.1.0
              djangorestframework-simplejwt==5.5.1 PyJWT==2.15.1 cryptography==51.0.1
              psycopg==3.3.9 psycopg-binary==3.3.9 dj-rest-auth==7.2.0
              djangorestframework-csv==3.0.2 django-guardian==3.5.2
              django-oauth-toolkit==3.4.1 oauthlib==4.0.1 jwcrypto==1.6.1
              aiosmtpd==1.4.6 djoser==2.3.5 social-auth-app-django==7.2.0
              social-auth-core==6.2.0 django-allauth==65.21.1)
optional=(mysqlclient==2.3.2)

pick_python() {
    if [[ -n "${PARITY_PYTHON:-}" ]]; then
        echo "$PARITY_PYTHON"
        return
    fi
    local best="" best_ver="" candidate ver
    for candidate in "$HOME"/.pyenv/versions/3.*/bin/python; do
        [[ -x "$candidate" ]] || continue
        ver="$("$candidate" -c 'import sys; print("%d.%03d.%03d" % sys.version_info[:3])' 2>/dev/null)" || continue
        [[ "$ver" < "3.012.000" ]] && continue
        if [[ -z "$best_ver" || "$ver" > "$best_ver" ]]; then
            best="$candidate"
            best_ver="$ver"
        fi
    done
    if [[ -z "$best" ]] && command -v python3 >/dev/null; then
        if python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
            best="$(command -v python3)"
        fi
    fi
    if [[ -z "$best" ]]; then
        echo "setup.sh: no Python >= 3.12 found (set PARITY_PYTHON)" >&2
        exit 1
    fi
    echo "$best"
}

if [[ ! -x "$venv/bin/python" ]]; then
    python="$(pick_python)"
    echo "setup.sh: creating $venv with $python ($("$python" --version))"
    "$python" -m venv "$venv"
fi

# Install only what is missing or at another version (pip is a no-op when satisfied).
if ! "$venv/bin/python" - "${requirements[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for req in sys.argv[1:]:
    name, want = req.split("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "${requirements[@]}"
fi

for req in "${optional[@]}"; do
    if ! "$venv/bin/python" -c "import sys; from importlib.metadata import version; sys.exit(version('${req%%==*}') != '${req#*==}')" 2>/dev/null; then
        "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "$req" \
            || echo "setup.sh: warning: $req not installed (it needs libmariadb-dev and pkg-config)" >&2
    fi
done

"$venv/bin/python" - <<'PY'
import sys, django, rest_framework
from importlib.metadata import version
print("setup.sh: python %s, Django %s, djangorestframework %s, django-rest-knox %s, "
      "djangorestframework-simplejwt %s, PyJWT %s, django-oauth-toolkit %s, oauthlib %s" % (
    sys.version.split()[0], django.get_version(), rest_framework.VERSION, version("django-rest-knox"),
    version("djangorestframework-simplejwt"), version("PyJWT"), version("django-oauth-toolkit"),
    version("oauthlib")))
PY
