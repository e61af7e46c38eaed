#!/bin/bash
# The deployed shape, measured on one machine: nginx (deploy/nginx.conf, with TLS and the host name swapped
# for loopback) in front of two app processes (the command line of deploy/systemd/community-app@.service) on
# unix sockets, Redis and PostgreSQL. Checks /healthz, a static file (WhiteNoise) and a WebSocket upgrade
# through the proxy, then runs the chat bench through it. Everything lives under $WORK and stops at the end.
#
#   deploy/check-local.sh                   # 1,000 members, 200 messages
#   CLIENTS=200 MESSAGES=100 deploy/check-local.sh
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
WORK=${WORK:-/tmp/community-deploy-check}
PORT=${PORT:-8180}
CLIENTS=${CLIENTS:-1000}
MESSAGES=${MESSAGES:-200}
PG_DB=${PG_DB:-community_deploycheck}
mkdir -p "$WORK/run"
export DJANGO_SETTINGS_MODULE=community.settings.production DJANGO_SECRET_KEY=deploy-check-only \
    ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:$PORT CHAT_ALLOWED_ORIGINS="http://127.0.0.1:*" \
    SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/$PG_DB REDIS_URL=redis://127.0.0.1:6379/${REDIS_DB:-9}

createdb -h 127.0.0.1 -U postgres "$PG_DB" 2>/dev/null
timeout 600 $PY manage.py migrate -v 0 || exit 1
timeout 300 $PY manage.py collectstatic --noinput -v 0 || exit 1

# The app processes: ExecStart of the systemd unit, with the socket path moved under $WORK.
exec_start=$(sed -n '/^ExecStart=/,/[^\\]$/p' deploy/systemd/community-app@.service | sed 's/^ExecStart=//; s/\\$//' | tr -d '\n')
pids=()
for i in 1 2; do
  sock=$WORK/run/app-$i.sock
  rm -f "$sock"
  cmd=${exec_start//\/srv\/community\/.venv/$ROOT/.venv}
  cmd=${cmd//\/run\/community\/app-%i.sock/$sock}
  setsid $cmd > "$WORK/app-$i.log" 2>&1 &
  pids+=($!)
done

# nginx: deploy/nginx.conf with plain HTTP on loopback instead of TLS on 443, sockets under $WORK.
sed -e "s#/run/community/#$WORK/run/#g" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$PORT;#" -e "/listen \[::\]/d" -e "/ssl_/d" \
    -e "s#listen 80;#listen 127.0.0.1:$((PORT + 1));#" -e "s#server_name community.example.org;#server_name 127.0.0.1;#" \
    deploy/nginx.conf > "$WORK/site.conf"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 8192; }
worker_rlimit_nofile 20000;
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    include $WORK/site.conf;
}
CONF
nginx -t -c "$WORK/nginx.conf" -p "$WORK" 2>&1 | tail -1 || exit 1
nginx -c "$WORK/nginx.conf" -p "$WORK"
cleanup() { kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null; done; }
trap cleanup EXIT
for _ in $(seq 60); do [ -S "$WORK/run/app-1.sock" ] && [ -S "$WORK/run/app-2.sock" ] && break; sleep 1; done

echo "== /healthz through nginx"
curl -s -o /dev/stdout -w " HTTP %{http_code}\n" "http://127.0.0.1:$PORT/healthz"
echo "== /healthz over plain HTTP (the port-80 server)"
curl -s -o /dev/stdout -w " HTTP %{http_code}\n" "http://127.0.0.1:$((PORT + 1))/healthz"
static=$(cd staticfiles && ls js/chat.*.js | head -1)
echo "== a static file (WhiteNoise, hashed name)"
curl -s -o /dev/null -D - "http://127.0.0.1:$PORT/static/$static" | grep -iE "^HTTP|cache-control|content-type"
echo "== the chat bench through nginx (one port; members spread over the two processes by least_conn)"
app_pids=$(IFS=,; echo "${pids[*]}")
timeout 900 $PY bench/chat_fanout.py --port "$PORT" --server-pid "$app_pids" --clients "$CLIENTS" \
    --messages "$MESSAGES" --make-sessions --reconnect-all ${EXTRA:-}
echo "== app process logs: Host header errors and tracebacks (expect 0 and 0)"
cat "$WORK"/app-*.log | grep -c "Invalid HTTP_HOST"
cat "$WORK"/app-*.log | grep -c "^Traceback"
for i in 1 2; do echo "app-$i: $(grep -c 'connection open' "$WORK/app-$i.log") chat sockets opened"; done
