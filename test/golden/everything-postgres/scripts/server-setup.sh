#!/usr/bin/env bash
# Provision a Debian or Ubuntu server for demo, as root:
#
#   sudo bash scripts/server-setup.sh [APP_DIR]
#   sudo DEPLOY_USER=deploy APP_DIR=/srv/demo bash scripts/server-setup.sh
#
# - Docker log rotation: /etc/docker/daemon.json (json-file, 10 MB x 3 files)
# - Docker Engine and the compose plugin from Docker's apt repository, unless
#   `docker compose version` already works; DEPLOY_USER joins the docker group
# - ufw allowing OpenSSH, 80/tcp and 443/tcp (only missing rules are added;
#   ufw is enabled only while inactive)
# - APP_DIR (default /opt/demo) with releases/ and shared/, owned by
#   DEPLOY_USER (default: the user who ran sudo)
#
# It is idempotent: each step prints "[ok] ... already" or "[changed] ...", and
# a second run installs nothing, writes nothing and restarts nothing.
#
# SETUP_ROOT (default: empty, i.e. /) prefixes the system files it reads and
# writes (/etc/...): generator-aegis's tests point it at a scratch folder.
set -euo pipefail

APP_DIR="${1:-${APP_DIR:-/opt/demo}}"
DEPLOY_USER="${DEPLOY_USER:-${SUDO_USER:-}}"
ROOT="${SETUP_ROOT:-}"
DOCKER_ETC="$ROOT/etc/docker"
DAEMON_JSON="$DOCKER_ETC/daemon.json"
KEYRINGS="$ROOT/etc/apt/keyrings"
DOCKER_KEYRING="$KEYRINGS/docker.gpg"
DOCKER_SOURCES="$ROOT/etc/apt/sources.list.d/docker.list"
DOCKER_PACKAGES=(docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin)
# Rotated logs of every container: at most 3 files of 10 MB each.
DAEMON_CONFIG='{
  "log-driver": "json-file",
  "log-opts": {
    "max-size": "10m",
    "max-file": "3"
  }
}'

export DEBIAN_FRONTEND=noninteractive
# Keyrings and sources must stay readable by apt's unprivileged user.
umask 022

ok() { printf '[ok] %s\n' "$*"; }
changed() { printf '[changed] %s\n' "$*"; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

apt_updated=false
apt_install() {
    if [ "$apt_updated" = false ]; then
        apt-get update
        apt_updated=true
    fi
    apt-get install -y "$@"
}

check_prerequisites() {
    local uid
    uid="$(id -u)"
    [ "$uid" -eq 0 ] || die "run as root, e.g. sudo bash $0"
    [ -n "$DEPLOY_USER" ] || die "set DEPLOY_USER to the user that deploys (e.g. DEPLOY_USER=deploy)"
    id "$DEPLOY_USER" >/dev/null 2>&1 || die "user $DEPLOY_USER does not exist"
    DEPLOY_GROUP="$(id -gn "$DEPLOY_USER")"
}

# Docker log rotation, written before Docker is installed so that a new engine
# starts with it; an engine already running is restarted only when it changed.
configure_log_rotation() {
    if [ -f "$DAEMON_JSON" ] && cmp -s - "$DAEMON_JSON" <<<"$DAEMON_CONFIG"; then
        ok "Docker log rotation already configured ($DAEMON_JSON)"
        return
    fi
    local saved=""
    if [ -f "$DAEMON_JSON" ]; then
        cat "$DAEMON_JSON" >"$DAEMON_JSON.bak"
        saved=", previous one saved as $DAEMON_JSON.bak"
    fi
    mkdir -p "$DOCKER_ETC"
    tee "$DAEMON_JSON" >/dev/null <<<"$DAEMON_CONFIG"
    if [ "$docker_installed" = true ]; then
        systemctl restart docker
        changed "Docker log rotation written to $DAEMON_JSON$saved; docker restarted (applies to containers created from now on)"
    else
        changed "Docker log rotation written to $DAEMON_JSON$saved"
    fi
}

install_docker() {
    if [ "$docker_installed" = true ]; then
        ok "Docker Engine and compose plugin already installed ($compose_version)"
        return
    fi
    # shellcheck source=/dev/null
    . "$ROOT/etc/os-release"
    case "${ID:-}" in
        debian | ubuntu) ;;
        *) die "unsupported distribution '${ID:-unknown}': Docker's apt repository serves debian and ubuntu" ;;
    esac
    [ -n "${VERSION_CODENAME:-}" ] || die "VERSION_CODENAME is missing from /etc/os-release"
    apt_install ca-certificates curl gpg
    install -m 0755 -d "$KEYRINGS"
    curl -fsSL "https://download.docker.com/linux/$ID/gpg" | gpg --batch --yes --dearmor -o "$DOCKER_KEYRING"
    local arch
    arch="$(dpkg --print-architecture)"
    printf 'deb [arch=%s signed-by=%s] https://download.docker.com/linux/%s %s stable\n' \
        "$arch" "$DOCKER_KEYRING" "$ID" "$VERSION_CODENAME" | tee "$DOCKER_SOURCES" >/dev/null
    apt-get update
    apt-get install -y "${DOCKER_PACKAGES[@]}"
    systemctl enable --now docker
    compose_version="$(docker compose version)"
    docker_installed=true
    changed "Docker Engine and compose plugin installed from Docker's apt repository ($compose_version)"
}

# Members of the docker group control the Docker daemon, which is root access.
add_deploy_user_to_docker_group() {
    if ! grep -q '^docker:' "$ROOT/etc/group"; then
        ok "no docker group on this host: $DEPLOY_USER not added to it"
        return
    fi
    local groups
    groups="$(id -nG "$DEPLOY_USER")"
    if grep -qw docker <<<"$groups"; then
        ok "$DEPLOY_USER already in the docker group"
        return
    fi
    usermod -aG docker "$DEPLOY_USER"
    changed "$DEPLOY_USER added to the docker group (effective at its next login)"
}

# Note: ports published by Docker bypass ufw; docker-compose.prod.yml publishes
# only Traefik's 80 and 443.
configure_firewall() {
    if command -v ufw >/dev/null 2>&1; then
        ok "ufw already installed"
    else
        apt_install ufw
        changed "ufw installed"
    fi
    # Outputs are read whole before grep looks at them: with pipefail, a grep -q
    # that stops reading early could fail the pipeline.
    local added status
    added="$(ufw show added)"
    # "ufw show added" lists one "ufw allow ..." line per rule, active or not.
    allow_once "OpenSSH" "$added" "ufw (allow|limit) (OpenSSH|22|22/tcp)"
    allow_once "80/tcp" "$added" "ufw allow (80|80/tcp)"
    allow_once "443/tcp" "$added" "ufw allow (443|443/tcp)"
    status="$(ufw status)"
    if grep -q '^Status: active' <<<"$status"; then
        ok "ufw already active"
    else
        ufw --force enable >/dev/null
        changed "ufw enabled"
    fi
}

# allow_once RULE ADDED_RULES PATTERN: add "ufw allow RULE" unless a line of
# ADDED_RULES matches PATTERN (an extended regular expression).
allow_once() {
    if grep -Eqx "$3" <<<"$2"; then
        ok "ufw already allows $1"
    else
        ufw allow "$1" >/dev/null
        changed "ufw allows $1"
    fi
}

create_app_dir() {
    local dir owner_change
    for dir in "$APP_DIR" "$APP_DIR/releases" "$APP_DIR/shared"; do
        if [ -d "$dir" ]; then
            ok "$dir already exists"
        else
            mkdir -p "$dir"
            changed "$dir created"
        fi
        # chown -c prints a line only when the owner really changes.
        owner_change="$(chown -c "$DEPLOY_USER:$DEPLOY_GROUP" "$dir")"
        if [ -n "$owner_change" ]; then
            changed "$dir now owned by $DEPLOY_USER:$DEPLOY_GROUP"
        else
            ok "$dir already owned by $DEPLOY_USER:$DEPLOY_GROUP"
        fi
    done
}

main() {
    check_prerequisites
    docker_installed=false
    compose_version=""
    if compose_version="$(docker compose version 2>/dev/null)"; then
        docker_installed=true
    fi
    configure_log_rotation
    install_docker
    add_deploy_user_to_docker_group
    configure_firewall
    create_app_dir
}

main
