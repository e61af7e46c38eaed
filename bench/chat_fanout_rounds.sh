#!/bin/bash
# One round of bench/chat_fanout.py: every candidate ASGI server (and the bare reference) at each room size, on
# the in-memory layer with SQLite and on the Redis pub/sub layer with PostgreSQL, one process each, side by side.
# Loopback only; each run bounded by `timeout`. Prints one JSON line per run (also appended to $OUT).
#
#   bench/chat_fanout_rounds.sh                        # everything, 200 and 1000 members
#   SERVERS="bare uvicorn" SIZES="200" LAYERS=mem bench/chat_fanout_rounds.sh
#   APP_DIR=/tmp/snapshot bench/chat_fanout_rounds.sh  # serve another tree (a "before" snapshot: git archive)
#
# Needs: the candidate servers in the venv (bench/README.md), Redis on 6379 and the PostgreSQL database
# $PG_DB (created and migrated by this script when missing).
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
APP_DIR=${APP_DIR:-$PWD}
SERVERS=${SERVERS:-"bare daphne uvicorn uvicorn-websockets-sansio granian hypercorn"}
SIZES=${SIZES:-"200 1000"}
LAYERS=${LAYERS:-"mem redis"}
MESSAGES=${MESSAGES:-200}
EXTRA=${EXTRA:-"--reconnect-all"}
PG_DB=${PG_DB:-community_chatbench}
REDIS_DB=${REDIS_DB:-8}
OUT=${OUT:-/tmp/chat-fanout-rounds.jsonl}
# Production settings (DEBUG off), with what they require from the environment set for loopback.
export DJANGO_SETTINGS_MODULE=community.settings.production DJANGO_SECRET_KEY=bench-only \
    ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1 CHAT_ALLOWED_ORIGINS='http://127.0.0.1:*' \
    SECURE_SSL_REDIRECT=0 LOG_LEVEL=ERROR
MEM_ENV="DATABASE_URL=sqlite:////tmp/${PG_DB}.sqlite3"
REDIS_ENV="DATABASE_URL=postgres://postgres@127.0.0.1:5432/${PG_DB} REDIS_URL=redis://127.0.0.1:6379/${REDIS_DB}"

prepare() {
  (cd "$APP_DIR" && env $MEM_ENV timeout 600 "$OLDPWD/$PY" manage.py migrate -v 0)
  createdb -h 127.0.0.1 -U postgres "$PG_DB" 2>/dev/null
  (cd "$APP_DIR" && env $REDIS_ENV timeout 600 "$OLDPWD/$PY" manage.py migrate -v 0)
}
prepare

port=${PORT_BASE:-8120}
for layer in $LAYERS; do
  [ "$layer" = mem ] && LAYER_ENV=$MEM_ENV || LAYER_ENV=$REDIS_ENV
  for n in $SIZES; do
    for server in $SERVERS; do
      port=$((port + 1))
      line=$(env $LAYER_ENV timeout 600 $PY bench/chat_fanout.py --app-dir "$APP_DIR" --spawn "$server" \
          --port $port --clients "$n" --messages "$MESSAGES" --make-sessions --json $EXTRA 2>>"${OUT%.jsonl}.err" | tail -1)
      [ -z "$line" ] && line="{\"server\": \"$server\", \"clients\": $n, \"failed\": true}"
      echo "{\"layer\": \"$layer\", \"app_dir\": \"$APP_DIR\", ${line#\{}" | tee -a "$OUT"
    done
  done
done
